package dev.siyu.functions.miniappapi;

import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.testkit.StackResource;
import java.time.Clock;
import java.util.Map;

/** The ingest test stack plus the Mini Program stub the member routes log in and link phones through. */
public final class MiniappStack implements AutoCloseable {
    final IngestStack ingest;
    final MiniProgramStub wechat;

    private MiniappStack(IngestStack ingest) {
        this.ingest = ingest;
        this.wechat = new MiniProgramStub(null, ingest.env.get("SIYU_MINIAPP_SECRET"), Clock.systemUTC()).start(0);
    }

    static MiniappStack start() {
        IngestStack ingest = IngestStack.start();
        try {
            return new MiniappStack(ingest);
        } catch (RuntimeException e) {
            ingest.close();
            throw e;
        }
    }

    Map<String, String> functionConfig() {
        Map<String, String> c = ingest.functionConfig();
        c.put("siyu.miniapp.api-base-url", wechat.baseUrl());
        return c;
    }

    @Override
    public void close() {
        wechat.close();
        ingest.close();
    }

    public static class Resource extends StackResource<MiniappStack> {
        @Override
        protected MiniappStack open() {
            return MiniappStack.start();
        }

        @Override
        protected Map<String, String> functionConfig(MiniappStack stack) {
            return stack.functionConfig();
        }
    }
}
