// Names the reader of one fuzz_readers executable (tests/fuzz/CMakeLists.txt: FUZZ_READER_NAME).
extern "C" char const fuzz_reader_name[] = FUZZ_READER_NAME;
