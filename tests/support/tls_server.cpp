#include "support/tls_server.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace kmeet::test {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("SelfSignedCert: ") + what + " failed");
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

}  // namespace

SelfSignedCert::SelfSignedCert(std::string_view subject_alt_names) {
  std::string pattern = (std::filesystem::temp_directory_path() / "kmeet-tls-XXXXXX").string();
  check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  dir_ = pattern;
  cert_file_ = dir_ + "/cert.pem";
  key_file_ = dir_ + "/key.pem";
  hashed_dir_ = dir_ + "/ca";

  const Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "EVP_EC_gen");
  const Cert cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4711) == 1, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("kmeet test"), -1, -1,
                                   0) == 1,
        "subject");
  check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), NID_subject_alt_name, std::string(subject_alt_names));
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  {
    const Bio out(BIO_new_file(cert_file_.c_str(), "w"));
    check(out != nullptr && PEM_write_bio_X509(out.get(), cert.get()) == 1, "write cert");
  }
  {
    const Bio out(BIO_new_file(key_file_.c_str(), "w"));
    check(out != nullptr &&
              PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "write key");
  }
  std::filesystem::create_directory(hashed_dir_);
  char hash[16];
  std::snprintf(hash, sizeof hash, "%08lx.0",
                static_cast<unsigned long>(X509_NAME_hash_ex(name, nullptr, nullptr, nullptr)));
  std::filesystem::copy_file(cert_file_, hashed_dir_ + "/" + hash);
}

SelfSignedCert::~SelfSignedCert() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

struct TlsServer::Impl {
  httplib::SSLServer server;
  Impl(const std::string& cert, const std::string& key) : server(cert.c_str(), key.c_str()) {}
};

TlsServer::TlsServer(std::string_view subject_alt_names)
    : cert_(subject_alt_names),
      impl_(std::make_unique<Impl>(cert_.cert_file(), cert_.key_file())) {
  if (!impl_->server.is_valid()) throw std::runtime_error("TlsServer: cannot load the certificate");
  auto answer = [this](const httplib::Request&, httplib::Response& response) {
    ++answered_;
    response.set_content("secure", "text/plain");
  };
  impl_->server.Get(".*", answer);
  impl_->server.Post(".*", answer);
  impl_->server.set_keep_alive_timeout(1);
  port_ = impl_->server.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("TlsServer: cannot bind");
  thread_ = std::thread([this] { impl_->server.listen_after_bind(); });
}

TlsServer::~TlsServer() {
  impl_->server.stop();
  if (thread_.joinable()) thread_.join();
}

std::string TlsServer::url(std::string_view path_and_query, std::string_view host) const {
  return "https://" + std::string(host) + ":" + std::to_string(port_) + std::string(path_and_query);
}

}  // namespace kmeet::test
