package dev.siyu.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.Trigger;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** tag_added starts journeys: a channel's auto tags are each a trigger when a journey listens for tag_added. */
class TagAddedTriggerTest {
    private static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String STATE = "parcel_card_east";
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");

    private List<JourneyTrigger> addThroughTheChannel(ScrmConfig config) {
        CallbackFaultsTest.FlakyQueue triggers = new CallbackFaultsTest.FlakyQueue();
        Ports ports = MemoryPorts.create(new RecordingWeComApi())
                .withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
        ports.channels().save(config.tenant(), new ChannelCode("Package Insert - East China Warehouse",
                RoutingType.AUTO_ASSIGN, STATE, "cfg-east", "https://qr", List.of("zhangsan"), "sales_team_east", null));
        new Engine(ports, config, 1, null, new CallbackFaultsTest.MutableClock(T0), Engine.Settings.inline()).callbacks()
                .process(new WeComEvent.ContactAdded("zhangsan", "wmTagged", STATE, "wc-1", false, T0));
        return triggers.sent.stream().filter(t -> t.kind().equals("tag_added")).toList();
    }

    @Test
    void eachAutoTagOfTheChannelStartsTagAddedJourneys() {
        List<Journey> journeys = new ArrayList<>(EXAMPLE.journeys());
        journeys.add(new Journey("tagged_welcome", "a journey on a tag", new Trigger(Trigger.Kind.EVENT, "tag_added",
                null, "tagged"), EXAMPLE.journeys().get(0).steps(), null, null, Map.of(), null, false, null));
        ScrmConfig listening = new ScrmConfig(EXAMPLE.tenant(), EXAMPLE.timezone(), EXAMPLE.staff(), EXAMPLE.stores(),
                EXAMPLE.channelCodes(), EXAMPLE.tagSystem(), EXAMPLE.autoTaggingRules(), EXAMPLE.groupTypes(),
                EXAMPLE.guardrails(), journeys, EXAMPLE.sopCalendar(), EXAMPLE.community(), EXAMPLE.offboarding());

        List<JourneyTrigger> tagged = addThroughTheChannel(listening);

        assertThat(tagged).isNotEmpty().allSatisfy(t -> assertThat(t.details()).containsEntry("source", "channel"));
        assertThat(tagged).extracting(t -> t.details().get("tag")).doesNotHaveDuplicates();
    }

    @Test
    void noJourneyListensSoNoTriggerIsQueued() {
        assertThat(addThroughTheChannel(EXAMPLE)).isEmpty();
    }
}
