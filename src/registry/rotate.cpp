// Key rotation (docs/registry.md, "Rotating the key"). Pseudonyms are HMAC(key, centre 0x1F id)
// and cannot be inverted, so rotation takes the centres' local ids, derives each one's old and
// new pseudonym, and rewrites every place that names a pseudonym — patients, tombstones, the
// stored match input (patients.record, match_runs.input) and result (match_runs.result and its
// sha256) — in one write transaction, or refuses with nothing changed. What must survive is the
// patient row itself: every clinical row points to patients.id, never to the pseudonym, so the
// links across decisions, treatments and follow-ups are untouched. The audit log is append-only
// and keeps the old pseudonyms of past entries; no old → new mapping is written anywhere.
#include <map>
#include <nlohmann/json.hpp>

#include "actionable/registry/registry.hpp"
#include "util.hpp"

namespace actionable::registry {

namespace {

/// `text` with every occurrence of the 64-hex pseudonym `from` replaced by `to`.
std::string replace_all(std::string text, std::string const& from, std::string const& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

RotationReport Registry::rotate_key(PseudonymKey const& old_key, PseudonymKey const& new_key,
                                    std::vector<LocalId> const& ids) {
  require_schema();
  if (!options_.scope.centres.empty()) {
    throw Error(ErrorCode::kInput, "key rotation acts on the whole registry: open it without a centre scope");
  }
  RotationReport rep;
  rep.old_fingerprint = old_key.fingerprint();
  rep.new_fingerprint = new_key.fingerprint();
  if (rep.old_fingerprint == rep.new_fingerprint) throw Error(ErrorCode::kInput, "the new key is the current key");

  Transaction txn(*db_, Transaction::Kind::kWrite);
  Rows fp = db_->query("SELECT value FROM meta WHERE key = 'key_fingerprint'");
  if (fp.empty()) throw Error(ErrorCode::kKey, "no key is bound to this registry yet: nothing to rotate");
  if (fp.front().text(0) != rep.old_fingerprint) {
    throw Error(ErrorCode::kKey, "the current key given is not the registry's (fingerprint " + rep.old_fingerprint +
                                     ", registry expects " + fp.front().text(0) + ")");
  }
  // old pseudonym → new pseudonym, for every local id given.
  std::map<std::string, std::string> renamed;
  for (LocalId const& l : ids) renamed.emplace(old_key.pseudonym(l.centre, l.id), new_key.pseudonym(l.centre, l.id));

  struct Target {
    std::int64_t id;
    std::string from, to;
  };
  std::vector<Target> patients, tombstones;
  std::int64_t missing = 0;
  std::string first_missing;
  auto collect = [&](std::string const& sql, std::vector<Target>& into) {
    for (Row const& r : db_->query(sql)) {
      auto it = renamed.find(r.text(1));
      if (it == renamed.end()) {
        if (missing++ == 0) first_missing = r.text(1);
        continue;
      }
      into.push_back({r.i64(0), it->first, it->second});
    }
  };
  collect("SELECT id, pseudonym FROM patients ORDER BY id", patients);
  collect("SELECT 0, pseudonym FROM tombstones ORDER BY pseudonym", tombstones);
  if (missing > 0) {
    throw Error(ErrorCode::kInput, std::to_string(missing) +
                                       " patient(s) or tombstone(s) have no local id in the list given (first: " +
                                       first_missing.substr(0, 16) + "…): rotation refused, nothing changed");
  }
  rep.unknown = static_cast<std::int64_t>(renamed.size() - patients.size() - tombstones.size());

  for (Target const& p : patients) {
    std::string record = db_->query("SELECT record FROM patients WHERE id = ?", {p.id}).at(0).text(0);
    db_->query("UPDATE patients SET pseudonym = ?, record = ? WHERE id = ?",
               {p.to, replace_all(record, p.from, p.to), p.id});
    for (Row const& r : db_->query("SELECT id, input, result FROM match_runs WHERE patient_id = ?", {p.id})) {
      std::string result = replace_all(r.text(2), p.from, p.to);
      db_->query("UPDATE match_runs SET input = ?, result = ?, result_sha = ? WHERE id = ?",
                 {replace_all(r.text(1), p.from, p.to), result, detail::sha256_hex(result), r.i64(0)});
      ++rep.runs;
    }
    ++rep.patients;
  }
  for (Target const& t : tombstones) {
    db_->query("UPDATE tombstones SET pseudonym = ? WHERE pseudonym = ?", {t.to, t.from});
    ++rep.tombstones;
  }
  db_->query("UPDATE meta SET value = ? WHERE key = 'key_fingerprint'", {rep.new_fingerprint});
  audit("key.rotate", std::nullopt, std::nullopt,
        nlohmann::json{{"old_fingerprint", rep.old_fingerprint},
                       {"new_fingerprint", rep.new_fingerprint},
                       {"patients", rep.patients},
                       {"tombstones", rep.tombstones},
                       {"runs", rep.runs}}
            .dump());
  txn.commit();
  return rep;
}

}  // namespace actionable::registry
