// The portal's HTTP/1.1 server (Boost.Beast over Asio; optional TLS through OpenSSL): limits
// (request body → 413, header size → 431, a request not received within the time limit → 408),
// keep-alive, graceful shutdown on SIGTERM / SIGINT (stop accepting, finish the requests in
// flight, close idle connections), and one structured access-log line per request handed to a
// callback (the library never prints). Handlers are plain functions of a Request and run on a
// worker pool, so slow work (Argon2id, a PDF) never blocks the network threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace actionable::portal {

struct Request {
  std::string method;                          ///< GET, POST, …
  std::string target;                          ///< as sent: path and query
  std::string path;                            ///< percent-decoded path, no query
  std::string query;                           ///< raw query ("" when none)
  std::map<std::string, std::string> headers;  ///< names in lower case; repeated headers joined with ", "
  std::string body;
  std::string client;                                 ///< peer address (the proxy's when behind one)
  bool tls = false;                                   ///< received over TLS on this server
  std::string header(std::string const& name) const;  ///< "" when absent (name in lower case)
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string log_user;    ///< for the access log only; never sent
  std::string log_client;  ///< the client as the handler sees it (behind a proxy); "" = the peer
  void set(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

using Handler = std::function<Response(Request const&)>;

struct HttpOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;      ///< 0 = any free port (see HttpServer::port())
  std::string tls_cert, tls_key;  ///< PEM files; both or neither
  std::size_t max_body = 64 * 1024;
  std::size_t max_header = 16 * 1024;
  std::chrono::milliseconds request_timeout{10000};  ///< to receive one whole request
  std::chrono::milliseconds idle_timeout{30000};     ///< an idle keep-alive connection is closed
  int io_threads = 2;
  int workers = 4;
  bool handle_signals = true;  ///< SIGTERM / SIGINT stop the server gracefully
  /// One JSON object per request (time, client, method, path without query, status, bytes, ms, user).
  std::function<void(std::string const&)> access_log;
};

class HttpServer {
 public:
  /// Binds and listens (throws std::runtime_error when the address cannot be bound or the
  /// certificate cannot be read); run() serves.
  HttpServer(HttpOptions options, Handler handler);
  ~HttpServer();
  HttpServer(HttpServer const&) = delete;
  HttpServer& operator=(HttpServer const&) = delete;

  std::uint16_t port() const noexcept;
  /// Serve until stop() or a signal; returns after the requests in flight have been answered.
  void run();
  /// Thread-safe: stop accepting, let requests in flight finish, close idle connections.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actionable::portal
