// Scenario 4: the shared library (libfoo.so.1 -> libfoo.so.1.2.3), C++ -O2.
#include <map>
#include <string>
#include <vector>
#include <cstdlib>

namespace foo {
template <typename T>
struct Registry {
    std::map<int, std::vector<T>> slots;
    void put(int k, const T &v) { slots[k].push_back(v); }
};

static Registry<std::string> *g_reg;
static std::vector<void *> g_raw;

__attribute__((noinline)) static void *raw_block(size_t n) { return malloc(n); }
}  // namespace foo

extern "C" {
__attribute__((visibility("default"))) void foo_register(int n) {
    if (!foo::g_reg) foo::g_reg = new foo::Registry<std::string>();
    for (int i = 0; i < n; i++) foo::g_reg->put(i % 13, std::string(40 + i % 30, 'r'));
}
__attribute__((visibility("default"))) void foo_raw(int n) {
    for (int i = 0; i < n; i++) foo::g_raw.push_back(foo::raw_block(64 + (i % 10) * 512));
}
__attribute__((visibility("default"))) void *foo_calls_back(void *(*cb)(size_t), size_t n) { return cb(n); }
}
