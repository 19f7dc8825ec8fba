package dev.siyu.core.gate;

/** Value and promotional touches among the latest {@link Guardrails#contentMixWindow()} of a customer or group. */
public record ContentMix(int value, int promotional) {
    public static final ContentMix EMPTY = new ContentMix(0, 0);

    public ContentMix {
        if (value < 0 || promotional < 0) {
            throw new IllegalArgumentException("counts cannot be negative: " + value + ", " + promotional);
        }
    }
}
