import Foundation

/// Runs `produce` on a second thread and `consume` on the calling one, joined by a queue of
/// `depth` items, so that reading and decoding run ahead of the work on what they yield.
///
/// `produce` gets a function that queues an item. An error in `produce` ends the run and is
/// rethrown here once the items before it are consumed; an error in `consume` stops the producer
/// (waiting for its thread to finish) and is rethrown.
func pipeline<Item>(depth: Int, produce: @escaping @Sendable (_ put: (Item) throws -> Void) throws -> Void,
                    consume: (Item) throws -> Void) throws {
    let channel = Channel<Item>(depth: depth)
    let producer = Thread {
        do {
            try produce { item in
                if channel.cancelled { throw CancellationError() }
                channel.put(item)
            }
            channel.close(error: nil)
        } catch {
            channel.close(error: error)
        }
    }
    producer.stackSize = 1 << 20
    producer.start()
    do {
        while let item = channel.take() { try consume(item) }
    } catch {
        channel.cancel()
        throw error
    }
    if let error = channel.error, !(error is CancellationError) { throw error }
}
