package dev.siyu.functions.wecomcallback;

/** A stack of its own for the sample events, whose fixed ids must not meet other tests' customers. */
public class SamplesLocalStackResource extends LocalStackResource {
    /** The samples are signed at fixed times long past: this function accepts timestamps of any age. */
    @Override
    protected java.util.Map<String, String> functionConfig(LocalStack stack) {
        java.util.Map<String, String> config = new java.util.HashMap<>(super.functionConfig(stack));
        config.put("siyu.wecom.callback-max-age", "P36500D");
        return config;
    }
}
