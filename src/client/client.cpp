#include "kmeet/client.hpp"

#include "client/context.hpp"
#include "kmeet/errors.hpp"

namespace kmeet {

Client::Client(Config config) {
  config.validate();
  ctx_ = std::make_shared<detail::ClientContext>(std::move(config));
}

Client Client::from_env() { return Client(Config::from_env()); }

const Config& Client::config() const { return ctx_->config; }

Sessions Client::sessions() const { return Sessions(ctx_); }

std::string Client::admin_ks() const { return ctx_->admin_session->get(); }

}  // namespace kmeet
