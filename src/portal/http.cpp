// Boost.Beast HTTP/1.1 server for the portal (include/actionable/portal/http.hpp). Chosen over
// cpp-httplib because Beast is already a project dependency (Boost), is maintained with Boost,
// and gives the control the limits need: cpp-httplib 0.11 (Debian 12) closes a slow request's
// connection without the 408 the portal owes the client, and has no header-size limit of its own.
//
// Per connection: a read with a body limit (413) and a header limit (431) under a request
// deadline (408 when part of a request arrived, silent close of an idle keep-alive connection);
// the handler runs on a worker pool; the response is written back on the connection's strand.
#include "actionable/portal/http.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <atomic>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "util/ascii.hpp"

namespace actionable::portal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Request::header(std::string const& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int a = hex(s[i + 1]), b = hex(s[i + 2]);
      if (a >= 0 && b >= 0) {
        out += static_cast<char>(a * 16 + b);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Like now_timestamp() in registry/util.cpp, but to the millisecond (access log) where the registry
// stores microseconds; one function would have to take the precision and the format.
std::string iso_now() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

struct SessionBase {
  virtual ~SessionBase() = default;
  virtual void shutdown() = 0;  ///< on the session's strand
};

struct HttpServer::Impl {
  HttpOptions options;
  Handler handler;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> tls;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::set<std::shared_ptr<SessionBase>> sessions;  // guarded by mu
  std::optional<asio::steady_timer> force_stop;

  Impl(HttpOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        workers(static_cast<std::size_t>(std::max(1, options.workers))),
        acceptor(ioc),
        signals(ioc) {}

  void accept();
  void begin_stop();
  void log(Request const& req, Response const& res, std::size_t bytes, double ms) const;
  void forget(SessionBase* s) {
    std::lock_guard lock(mu);
    for (auto it = sessions.begin(); it != sessions.end(); ++it) {
      if (it->get() == s) {
        sessions.erase(it);
        break;
      }
    }
  }
};

void HttpServer::Impl::log(Request const& req, Response const& res, std::size_t bytes, double ms) const {
  if (!options.access_log) return;
  nlohmann::json j{{"time", iso_now()},
                   {"client", res.log_client.empty() ? req.client : res.log_client},
                   {"method", req.method},
                   {"path", req.path},
                   {"status", res.status},
                   {"bytes", bytes},
                   {"ms", static_cast<double>(static_cast<long long>(ms * 100)) / 100}};
  if (!res.log_user.empty()) j["user"] = res.log_user;
  if (!res.log_client.empty() && res.log_client != req.client) j["peer"] = req.client;
  options.access_log(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

namespace {

template <class Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& srv, Stream stream, std::string client)
      : srv_(srv), stream_(std::move(stream)), timer_(stream_.get_executor()), client_(std::move(client)) {}

  void start() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(srv_.options.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close();
        self->read();
      });
    } else {
      read();
    }
  }

  void shutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->closing_ = true;
      if (self->idle_) self->close();
    });
  }

 private:
  void read() {
    if (closing_) return close();
    parser_.emplace();
    parser_->body_limit(srv_.options.max_body);
    parser_->header_limit(static_cast<std::uint32_t>(srv_.options.max_header));
    idle_ = true;
    timed_out_ = false;
    // Our own deadline first (so that a partial request can still get its 408), the stream's
    // own expiry as the backstop that always closes.
    auto limit = first_request_ ? srv_.options.request_timeout
                                : std::max(srv_.options.request_timeout, srv_.options.idle_timeout);
    timer_.expires_after(limit);
    timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      beast::error_code ignore;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignore);
    });
    beast::get_lowest_layer(stream_).expires_after(limit + std::chrono::seconds(5));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    timer_.cancel();
    idle_ = false;
    first_request_ = false;
    if (timed_out_) {
      if (parser_->got_some() || buffer_.size() > 0) return fail(408, "Request Timeout");
      return close();
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == beast::error::timeout) {
      return close();
    }
    if (ec == http::error::body_limit) return fail(413, "Payload Too Large");
    if (ec == http::error::header_limit) return fail(431, "Request Header Fields Too Large");
    if (ec) return fail(400, "Bad Request");

    auto msg = parser_->release();
    auto req = std::make_shared<Request>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    auto q = req->target.find('?');
    req->path = percent_decode(req->target.substr(0, q));
    if (q != std::string::npos) req->query = req->target.substr(q + 1);
    for (auto const& f : msg) {
      std::string name(f.name_string());
      name = util::lower(name);
      auto [it, fresh] = req->headers.emplace(name, std::string(f.value()));
      if (!fresh) it->second += ", " + std::string(f.value());
    }
    req->body = std::move(msg.body());
    req->client = client_;
    req->tls = std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>;
    keep_alive_ = msg.keep_alive() && !srv_.stopping;
    version_ = msg.version();
    auto started = std::chrono::steady_clock::now();
    asio::post(srv_.workers, [self = this->shared_from_this(), req, started] {
      auto res = std::make_shared<Response>();
      try {
        *res = self->srv_.handler(*req);
      } catch (std::exception const&) {
        *res = Response{};
        res->status = 500;
        res->content_type = "text/plain; charset=utf-8";
        res->body = "Internal Server Error\n";
      }
      asio::post(self->stream_.get_executor(), [self, req, res, started] { self->write(*req, res, started); });
    });
  }

  void fail(int status, char const* text) {
    keep_alive_ = false;
    auto res = std::make_shared<Response>();
    res->status = status;
    res->content_type = "text/plain; charset=utf-8";
    res->body = std::string(text) + "\n";
    Request req;
    req.method = "-";
    req.path = "-";
    req.client = client_;
    write(req, res, std::chrono::steady_clock::now());
  }

  void write(Request const& req, std::shared_ptr<Response> res, std::chrono::steady_clock::time_point started) {
    auto msg = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(res->status),
                                                                   version_ ? version_ : 11);
    msg->set(http::field::server, "actionable-portal");
    msg->set(http::field::content_type, res->content_type);
    for (auto const& [k, v] : res->headers) msg->insert(k, v);
    msg->body() = std::move(res->body);
    msg->keep_alive(keep_alive_ && !closing_);
    msg->prepare_payload();
    std::size_t bytes = msg->body().size();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    srv_.log(req, *res, bytes, ms);
    beast::get_lowest_layer(stream_).expires_after(srv_.options.request_timeout);
    http::async_write(stream_, *msg, [self = this->shared_from_this(), msg](beast::error_code ec, std::size_t) {
      if (ec || !msg->keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code e;
        beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, e);
        self->srv_.forget(self.get());
      });
      return;
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_.socket().close(ec);
    }
    srv_.forget(this);
  }

  HttpServer::Impl& srv_;
  Stream stream_;
  asio::steady_timer timer_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool timed_out_ = false, idle_ = false, closing_ = false, closed_ = false, keep_alive_ = false;
  bool first_request_ = true;
  unsigned version_ = 11;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping && acceptor.is_open()) accept();
      return;
    }
    if (stopping) return;
    beast::error_code e;
    auto ep = socket.remote_endpoint(e);
    std::string client = e ? "-" : ep.address().to_string();
    std::shared_ptr<SessionBase> s;
    if (tls) {
      auto sess = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          *this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls), client);
      s = sess;
      {
        std::lock_guard lock(mu);
        sessions.insert(s);
      }
      sess->start();
    } else {
      auto sess = std::make_shared<Session<beast::tcp_stream>>(*this, beast::tcp_stream(std::move(socket)), client);
      s = sess;
      {
        std::lock_guard lock(mu);
        sessions.insert(s);
      }
      sess->start();
    }
    accept();
  });
}

void HttpServer::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  asio::post(ioc, [this] {
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(mu);
      live.assign(sessions.begin(), sessions.end());
    }
    for (auto& s : live) s->shutdown();
    // Requests still running after this long are abandoned.
    force_stop.emplace(ioc, std::chrono::seconds(15));
    force_stop->async_wait([this](beast::error_code e) {
      if (!e) ioc.stop();
    });
    // Stop as soon as every session has closed.
    auto poll = std::make_shared<asio::steady_timer>(ioc);
    auto check = std::make_shared<std::function<void()>>();
    *check = [this, poll, check] {
      bool empty;
      {
        std::lock_guard lock(mu);
        empty = sessions.empty();
      }
      if (empty) {
        if (force_stop) force_stop->cancel();
        ioc.stop();
        return;
      }
      poll->expires_after(std::chrono::milliseconds(50));
      poll->async_wait([check](beast::error_code e) {
        if (!e) (*check)();
      });
    };
    (*check)();
  });
}

HttpServer::HttpServer(HttpOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
  auto& o = impl_->options;
  if (o.tls_cert.empty() != o.tls_key.empty()) throw std::runtime_error("--tls-cert and --tls-key go together");
  if (!o.tls_cert.empty()) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    auto& ctx = *impl_->tls;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                    asio::ssl::context::single_dh_use);
    beast::error_code ec;
    ctx.use_certificate_chain_file(o.tls_cert, ec);
    if (ec) throw std::runtime_error(o.tls_cert + ": cannot read the certificate: " + ec.message());
    ctx.use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
    if (ec) throw std::runtime_error(o.tls_key + ": cannot read the private key: " + ec.message());
  }
  beast::error_code ec;
  auto addr = asio::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("'" + o.host + "' is not an IP address");
  tcp::endpoint ep(addr, o.port);
  auto& acc = impl_->acceptor;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
}

HttpServer::~HttpServer() { impl_->workers.join(); }

std::uint16_t HttpServer::port() const noexcept {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::run() {
  auto& im = *impl_;
  if (im.options.handle_signals) {
    im.signals.add(SIGTERM);
    im.signals.add(SIGINT);
    im.signals.async_wait([&im](beast::error_code ec, int) {
      if (!ec) im.begin_stop();
    });
  }
  im.accept();
  std::vector<std::thread> threads;
  int n = std::max(1, im.options.io_threads);
  for (int i = 1; i < n; ++i) threads.emplace_back([&im] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : threads) t.join();
  im.workers.join();
}

void HttpServer::stop() { impl_->begin_stop(); }

}  // namespace actionable::portal
