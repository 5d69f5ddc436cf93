#include "core/fiber.hpp"

#include <sys/mman.h>
#include <ucontext.h>

#include <array>
#include <cxxabi.h>
#include <exception>
#include <mutex>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define KMEET_FIBER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define KMEET_FIBER_TSAN 1
#endif

namespace kmeet::detail {
namespace {

/// Stack of one fiber. The calls a fiber runs (JSON, fmt, OpenSSL, exceptions) need a few tens
/// of KiB; only the pages touched count in the process's memory (16 KiB for one `kmeet import`
/// request, docs/performance.md).
constexpr std::size_t kStackSize = std::size_t{256} << 10U;
/// Inaccessible memory below each stack. Code built without -fstack-clash-protection moves the
/// stack pointer by a whole frame before touching it, so one guard page could be jumped over by a
/// frame larger than a page (kmeet has frames of 6 KiB); 64 KiB of address space (no memory) makes
/// an overflow fault instead of writing into whatever lies below.
constexpr std::size_t kGuardSize = std::size_t{64} << 10U;
/// Stacks kept for reuse after their fiber ended.
constexpr std::size_t kPooledStacks = 256;

/// The Itanium C++ ABI's per-thread exception state (libstdc++: unwind-cxx.h; the ABI document,
/// "2.2.2 Caught exception stack"): the exceptions being handled and the uncaught count. Swapped
/// at every fiber switch.
struct EhGlobals {
  void* caught = nullptr;
  unsigned int uncaught = 0;
};

EhGlobals& thread_eh() { return *reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals()); }

/// An mmap'ed stack with a guard region below it (an overflow faults instead of corrupting memory).
struct Stack {
  void* base = nullptr;  // the guard region
  std::size_t size = 0;  // guard included
  [[nodiscard]] void* bottom() const { return static_cast<char*>(base) + kGuardSize; }
  [[nodiscard]] std::size_t usable() const { return size - kGuardSize; }
};

class StackPool {
 public:
  Stack take() {
    {
      const std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        Stack s = free_.back();
        free_.pop_back();
        return s;
      }
    }
    Stack s;
    s.size = kStackSize + kGuardSize;
    s.base = ::mmap(nullptr, s.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE,
                    -1, 0);
    if (s.base == MAP_FAILED) throw std::bad_alloc();
    if (::mprotect(s.base, kGuardSize, PROT_NONE) != 0) {  // no stack without its guard
      ::munmap(s.base, s.size);
      throw std::bad_alloc();
    }
    return s;
  }
  void give(Stack s) {
    {
      const std::lock_guard lock(mutex_);
      if (free_.size() < kPooledStacks) {
        free_.push_back(s);
        return;
      }
    }
    ::munmap(s.base, s.size);
  }

 private:
  std::mutex mutex_;
  std::vector<Stack> free_;
};

StackPool& stacks() {
  static StackPool* pool = new StackPool();  // never destroyed: fibers may end during exit
  return *pool;
}

constexpr std::size_t kSlots = 1;
thread_local Fiber::Impl* t_fiber = nullptr;
/// Where the running fiber goes back to: the context resume() was called from. One per thread, not
/// one per fiber (a ucontext_t is about 1 KiB, and a thread runs one fiber at a time).
thread_local ucontext_t t_loop{};
thread_local Fiber* t_fiber_handle = nullptr;
thread_local std::array<void*, kSlots> t_thread_slots{};

}  // namespace

struct Fiber::Impl {
  std::uint64_t id = 0;
  FiberHost* host = nullptr;
  std::function<void()> body;
  Stack stack;
  ucontext_t context{};
  bool started = false;
  bool done = false;
  bool waiting = false;
  std::uint64_t ticket = 0;
  EhGlobals eh;
  std::array<void*, kSlots> slots{};
#if KMEET_FIBER_ASAN
  void* fake_stack = nullptr;
  const void* loop_bottom = nullptr;
  std::size_t loop_size = 0;
#endif
#if KMEET_FIBER_TSAN
  void* tsan_fiber = nullptr;
  void* tsan_loop = nullptr;
#endif

  /// Switches from the fiber back to its loop (suspend, or the end of the body).
  void to_loop() {
#if KMEET_FIBER_ASAN
    __sanitizer_start_switch_fiber(done ? nullptr : &fake_stack, loop_bottom, loop_size);
#endif
#if KMEET_FIBER_TSAN
    __tsan_switch_to_fiber(tsan_loop, 0);
#endif
    ::swapcontext(&context, &t_loop);
#if KMEET_FIBER_ASAN
    __sanitizer_finish_switch_fiber(fake_stack, &loop_bottom, &loop_size);
#endif
  }

  static void entry() {
    Impl* self = t_fiber;
#if KMEET_FIBER_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &self->loop_bottom, &self->loop_size);
#endif
    try {
      self->body();
    } catch (...) {
      std::terminate();  // the host's wrapper catches everything; like a std::thread's function
    }
    self->body = nullptr;
    self->done = true;
    self->to_loop();  // never returns
  }
};

Fiber::Fiber(std::uint64_t id, FiberHost& host, std::function<void()> body) : impl_(std::make_unique<Impl>()) {
  Impl& f = *impl_;
  f.id = id;
  f.host = &host;
  f.body = std::move(body);
  f.stack = stacks().take();
  ::getcontext(&f.context);
  f.context.uc_stack.ss_sp = f.stack.bottom();
  f.context.uc_stack.ss_size = f.stack.usable();
  f.context.uc_link = nullptr;  // entry() never returns
  ::makecontext(&f.context, &Impl::entry, 0);
#if KMEET_FIBER_TSAN
  f.tsan_fiber = __tsan_create_fiber(0);
#endif
}

Fiber::~Fiber() {
#if KMEET_FIBER_TSAN
  if (impl_->tsan_fiber != nullptr) __tsan_destroy_fiber(impl_->tsan_fiber);
#endif
  // A fiber destroyed before its end (its host shut down) leaves its stack's objects alive: they
  // are leaked with the stack rather than run on a stack being reused.
  if (impl_->done || !impl_->started) stacks().give(impl_->stack);
}

void Fiber::resume() {
  Impl& f = *impl_;
  if (f.done || t_fiber != nullptr) return;
  f.started = true;
  f.waiting = false;
  std::swap(thread_eh(), f.eh);  // the loop's exception state out, the fiber's in
  t_fiber = &f;
  t_fiber_handle = this;
#if KMEET_FIBER_ASAN
  void* loop_fake = nullptr;
  __sanitizer_start_switch_fiber(&loop_fake, f.stack.bottom(), f.stack.usable());
#endif
#if KMEET_FIBER_TSAN
  f.tsan_loop = __tsan_get_current_fiber();
  __tsan_switch_to_fiber(f.tsan_fiber, 0);
#endif
  ::swapcontext(&t_loop, &f.context);
#if KMEET_FIBER_ASAN
  __sanitizer_finish_switch_fiber(loop_fake, nullptr, nullptr);
#endif
  t_fiber = nullptr;
  t_fiber_handle = nullptr;
  std::swap(thread_eh(), f.eh);
}

bool Fiber::done() const { return impl_->done; }
std::uint64_t Fiber::id() const { return impl_->id; }
FiberHost& Fiber::host() const { return *impl_->host; }

bool Fiber::take_wake(std::uint64_t ticket) {
  Impl& f = *impl_;
  if (f.done || !f.waiting || f.ticket != ticket) return false;
  f.waiting = false;
  return true;
}

Fiber* current_fiber() { return t_fiber_handle; }

std::uint64_t begin_wait() {
  Fiber::Impl& f = *t_fiber;
  f.waiting = true;
  return ++f.ticket;
}

void suspend() {
  Fiber::Impl& f = *t_fiber;
  f.to_loop();
}

void sleep_until(std::chrono::steady_clock::time_point until) {
  Fiber* fiber = current_fiber();
  if (fiber == nullptr) {
    std::this_thread::sleep_until(until);
    return;
  }
  if (until <= std::chrono::steady_clock::now()) return;
  const std::uint64_t ticket = begin_wait();
  fiber->host().wake_at(fiber->id(), ticket, until);
  suspend();
}

void*& fiber_local(FiberSlot slot) {
  const auto i = static_cast<std::size_t>(slot);
  return t_fiber != nullptr ? t_fiber->slots.at(i) : t_thread_slots.at(i);
}

}  // namespace kmeet::detail
