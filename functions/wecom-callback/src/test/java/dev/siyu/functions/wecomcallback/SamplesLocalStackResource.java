package dev.siyu.functions.wecomcallback;

/** A stack of its own for the sample events, whose fixed ids must not meet other tests' customers. */
public class SamplesLocalStackResource extends LocalStackResource {
}
