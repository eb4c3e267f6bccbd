// The unit tests' whole framework: TEST(name) registers a function, CHECK / CHECK_EQ /
// CHECK_THROWS report file:line and go on, main (main.cpp) runs every test and prints
// "unit: N passed, N failed".  No dependency beyond the standard library and failure.h.
#pragma once

#include <cstdint>
#include <cstdio>
#include <exception>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "base/failure.h"

// The bytes a test builds a format from, and a copy of them with one edit: the rule under test.
using Buffer = std::vector<uint8_t>;
template <class Edit> Buffer edited(Buffer b, Edit edit) {
    edit(b);
    return b;
}

namespace unit {

struct Test {
    const char* name;
    void (*run)();
};
inline std::vector<Test>& tests() { static std::vector<Test> all; return all; }
inline int failed_checks = 0;  // in the test running now

struct Register {
    Register(const char* name, void (*run)()) { tests().push_back({name, run}); }
};

template <class T> std::string show(const T& v) {
    std::ostringstream out;
    if constexpr (std::is_enum_v<T>) out << static_cast<long long>(v);
    else if constexpr (std::is_integral_v<T>) out << +v << " (0x" << std::hex << +v << ")";
    else if constexpr (requires { out << v; }) out << '"' << v << '"';
    else out << "(not printable)";
    return out.str();
}

inline void fail(const char* file, int line, const std::string& what) {
    std::fprintf(stderr, "%s:%d: %s\n", file, line, what.c_str());
    ++failed_checks;
}

inline int run_all() {
    int passed = 0, failed = 0;
    for (const Test& t : tests()) {
        failed_checks = 0;
        try { t.run(); } catch (const std::exception& e) { fail(t.name, 0, std::string("threw: ") + e.what()); }
        if (failed_checks) { std::fprintf(stderr, "FAILED %s\n", t.name); ++failed; } else { ++passed; }
    }
    std::printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

}  // namespace unit

#define TEST(name) static void name(); static const unit::Register name##_registered(#name, name); static void name()

#define CHECK(cond) do { if (!(cond)) unit::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); } while (0)

// Copies both values: `a` may be a part of a temporary (f()[0].name) that dies with the statement.
#define CHECK_EQ(a, b) do { const auto a_ = (a); const auto b_ = (b); if (!(a_ == b_)) \
    unit::fail(__FILE__, __LINE__, "CHECK_EQ(" #a ", " #b "): " + unit::show(a_) + " != " + unit::show(b_)); } while (0)

// `expr` must throw a mtkfw::Failure of exit class `exit_class` whose message contains `fragment`.
#define CHECK_THROWS(expr, exit_class, fragment) do { try { (void)(expr); \
        unit::fail(__FILE__, __LINE__, "CHECK_THROWS(" #expr "): nothing thrown"); \
    } catch (const mtkfw::Failure& e_) { \
        if (e_.code() != (exit_class) || std::string(e_.what()).find(fragment) == std::string::npos) \
            unit::fail(__FILE__, __LINE__, "CHECK_THROWS(" #expr "): exit " + unit::show(e_.code()) + ", \"" + e_.what() + "\""); \
    } } while (0)
