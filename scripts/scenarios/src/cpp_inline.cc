// Scenario 1: C++ -O2, PIE, heavy inlining: small functions, templates,
// std containers, lambdas, std::function, shared_ptr, strings.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>
#include "jedump.h"

namespace shapes {
struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
};
struct Rect : Shape {
    double w, h;
    Rect(double a, double b) : w(a), h(b) {}
    double area() const override { return w * h; }
};
struct Circle : Shape {
    double r;
    std::vector<double> samples;
    explicit Circle(double x) : r(x), samples(64, x) {}
    double area() const override { return 3.14159 * r * r; }
};
}  // namespace shapes

template <typename T>
struct Pool {
    std::vector<T> items;
    void add(const T &t) { items.push_back(t); }
    template <typename F>
    void fill(int n, F make) {
        for (int i = 0; i < n; i++) add(make(i));
    }
};

template <typename K, typename V>
static inline void bump(std::map<K, V> &m, const K &k) { m[k] += 1; }

static inline std::string label(int i) {
    std::string s = "item-number-";
    s += std::to_string(i);
    s += "-with-a-long-enough-suffix-to-avoid-sso";
    return s;
}

static std::vector<std::unique_ptr<shapes::Shape>> g_shapes;
static std::map<std::string, int> g_counts;
static std::unordered_map<int, std::vector<int>> g_buckets;
static Pool<std::string> g_names;
static Pool<std::shared_ptr<std::vector<char>>> g_blobs;
static std::vector<std::function<int(int)>> g_callbacks;

__attribute__((noinline)) static void make_shapes(int n) {
    for (int i = 0; i < n; i++) {
        if (i % 3 == 0)
            g_shapes.push_back(std::make_unique<shapes::Circle>(i));
        else
            g_shapes.emplace_back(new shapes::Rect(i, i + 1));
    }
}

__attribute__((noinline)) static void count_labels(int n) {
    for (int i = 0; i < n; i++) bump(g_counts, label(i % 500));
}

__attribute__((noinline)) static void fill_buckets(int n) {
    for (int i = 0; i < n; i++) g_buckets[i % 97].push_back(i);
}

static void make_names(int n) {
    g_names.fill(n, [](int i) { return label(i) + "/name"; });
}

static void make_blobs(int n) {
    int scale = 3;
    g_blobs.fill(n, [scale](int i) { return std::make_shared<std::vector<char>>(100 + (i % 7) * 100 * scale, 'x'); });
}

static void make_callbacks(int n) {
    for (int i = 0; i < n; i++) {
        std::vector<int> captured(i % 5 + 20, i);
        g_callbacks.emplace_back([captured](int x) { return x + (int)captured.size(); });
    }
}

int main() {
    make_shapes(3000);
    count_labels(4000);
    fill_buckets(20000);
    jedump_now();
    make_names(2500);
    make_blobs(1500);
    make_callbacks(800);
    // churn: temporaries that are freed (only visible in alloc counts)
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
        std::vector<int> tmp(i % 50 + 1, i);
        std::sort(tmp.begin(), tmp.end(), [](int a, int b) { return a > b; });
        sum += tmp[0];
    }
    for (auto &cb : g_callbacks) sum += cb(1);
    double area = 0;
    for (auto &s : g_shapes) area += s->area();
    std::printf("%ld %.1f %zu %zu\n", sum, area, g_counts.size(), g_names.items.size());
    return 0;
}
