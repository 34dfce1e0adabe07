/// An async mutual-exclusion lock per key: at most one task holds a key at a time, others wait
/// in arrival order. Used so that one process never advances the same workflow twice at once.
actor KeyedLock<Key: Hashable & Sendable> {
    private var waiters: [Key: [CheckedContinuation<Void, Never>]] = [:]
    private var held: Set<Key> = []

    /// Runs `body` while holding `key`.
    func withLock<T: Sendable>(_ key: Key, _ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire(key)
        do {
            let result = try await body()
            release(key)
            return result
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: Key) async {
        if !held.contains(key) {
            held.insert(key)
            return
        }
        await withCheckedContinuation { waiters[key, default: []].append($0) }
    }

    private func release(_ key: Key) {
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.resume()  // ownership passes directly to the next waiter
        } else {
            held.remove(key)
        }
    }
}
