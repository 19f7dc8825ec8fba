package dev.siyu.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists a dead-letter queue and sends its messages back to their source. A message is deleted from the
 * dead-letter queue only after its send succeeded, so a failed send leaves it where it was (never lost);
 * a crash between the send and the delete sends it twice, which the consumers absorb (step claims and
 * trigger dedup make a second delivery a no-op).
 */
public final class DeadLetterRedrive {
    /** SQS receives at most 10 per call. */
    private static final int PAGE = 10;
    /** An empty receive does not prove the queue empty (SQS samples servers): a few more tries before giving up. */
    private static final int EMPTY_TRIES = 3;

    private final DeadLetterQueue dlq;

    public DeadLetterRedrive(DeadLetterQueue dlq) {
        this.dlq = dlq;
    }

    /** Up to max dead letters, left in the queue (each received once more, then released). */
    public List<DeadLetter> list(int max) {
        Map<String, DeadLetter> seen = new LinkedHashMap<>();
        List<DeadLetter> held = new ArrayList<>();
        try {
            int empty = 0;
            while (seen.size() < max && empty < EMPTY_TRIES) {
                List<DeadLetter> page = dlq.receive(Math.min(PAGE, max - seen.size()));
                empty = page.isEmpty() ? empty + 1 : 0;
                for (DeadLetter l : page) {
                    held.add(l);
                    seen.putIfAbsent(l.id(), l);
                }
            }
        } finally {
            held.forEach(dlq::release);
        }
        return List.copyOf(seen.values());
    }

    /**
     * Sends up to max dead letters back to source, each deleted after its send. A send that fails is
     * released and reported; the redrive finishes the page it is on and stops there, since a source that
     * refuses one message is likely refusing them all.
     */
    public Result redrive(DeadLetterQueue.Source source, int max) {
        List<DeadLetter> sent = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        int empty = 0;
        while (sent.size() + failed.size() < max && empty < EMPTY_TRIES) {
            List<DeadLetter> page = dlq.receive(Math.min(PAGE, max - sent.size() - failed.size()));
            empty = page.isEmpty() ? empty + 1 : 0;
            List<DeadLetter> refused = new ArrayList<>();
            for (DeadLetter l : page) {
                try {
                    source.send(l);
                } catch (RuntimeException e) {
                    failed.add(new Failed(l, e.getMessage() == null ? e.toString() : e.getMessage()));
                    refused.add(l);
                    continue;
                }
                dlq.delete(l);
                sent.add(l);
            }
            // released only after the page, so this run does not receive a refused one again
            if (!refused.isEmpty()) {
                refused.forEach(dlq::release);
                break;
            }
        }
        return new Result(sent, failed);
    }

    public record Failed(DeadLetter letter, String reason) {
    }

    public record Result(List<DeadLetter> sent, List<Failed> failed) {
    }
}
