package dev.siyu.functions.journeyworker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** SQS batch -> {@link JourneyWorker} -> partial batch failures. Nothing else lives here. */
public class JourneyWorkerFunction {
    private final JourneyWorker worker;

    @Inject
    public JourneyWorkerFunction(JourneyWorker worker) {
        this.worker = worker;
    }

    @Funq
    public SQSBatchResponse journeyWorker(SQSEvent event) {
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<QueueMessage> batch = new ArrayList<>(records.size());
        for (SQSEvent.SQSMessage r : records) {
            batch.add(new QueueMessage(r.getMessageId(), r.getBody()));
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : worker.process(batch).failed()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
