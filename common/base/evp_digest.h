// One OpenSSL EVP message digest (MD5 for Checksum.ini and md5sum lists, SHA-256 for the GFH
// signature): the only place mtkfw calls EVP.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/bytes.h"

struct evp_md_ctx_st;

namespace mtkfw {

class EvpDigest {
public:
    enum class Kind { md5, sha256 };
    explicit EvpDigest(Kind kind);
    void update(Bytes data);
    // The digest (16 bytes for MD5, 32 for SHA-256); the object is spent afterwards.
    std::vector<uint8_t> final();

private:
    Kind kind_;
    std::unique_ptr<evp_md_ctx_st, void (*)(evp_md_ctx_st*)> ctx_;
};

}  // namespace mtkfw
