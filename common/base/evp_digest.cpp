#include "base/evp_digest.h"

#include <openssl/evp.h>

#include <string>

#include "base/failure.h"

namespace mtkfw {
namespace {

const char* name_of(EvpDigest::Kind kind) { return kind == EvpDigest::Kind::md5 ? "an MD5" : "a SHA-256"; }

// OpenSSL fails here only when it is broken or out of memory: an internal error, not the input's.
[[noreturn]] void fail_step(EvpDigest::Kind kind, const char* step) {
    throw Failure(Exit::internal, "OpenSSL", std::string("cannot ") + step + " " + name_of(kind) + " digest");
}

}  // namespace

EvpDigest::EvpDigest(Kind kind) : kind_(kind), ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    const EVP_MD* md = kind == Kind::md5 ? EVP_md5() : EVP_sha256();
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) fail_step(kind_, "initialise");
}

void EvpDigest::update(Bytes data) {
    if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) fail_step(kind_, "update");
}

std::vector<uint8_t> EvpDigest::final() {
    std::vector<uint8_t> d(EVP_MD_CTX_get_size(ctx_.get()));
    unsigned len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), d.data(), &len) != 1 || len != d.size()) fail_step(kind_, "finish");
    return d;
}

}  // namespace mtkfw
