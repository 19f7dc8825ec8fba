package dev.siyu.core.media;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.SopCalendar;
import dev.siyu.core.journey.Action;
import dev.siyu.core.journey.Journey;
import dev.siyu.core.journey.JourneyStep;
import java.util.Set;
import java.util.TreeSet;

/** Every picture file a blueprint names (cards' covers, images), for apply to store and upload. */
public final class BlueprintPictures {
    private BlueprintPictures() {
    }

    public static Set<String> of(ScrmConfig config) {
        Set<String> out = new TreeSet<>();
        for (Journey j : config.journeys()) {
            for (JourneyStep s : j.steps()) {
                if (s.action() instanceof Action.SendMessage m && m.picture() != null) {
                    out.add(m.picture());
                } else if (s.action() instanceof Action.IssueCoupon c && c.picture() != null) {
                    out.add(c.picture());
                }
            }
        }
        for (SopCalendar.Template t : config.sopCalendar().templates().values()) {
            if (t.miniProgramPicture() != null) {
                out.add(t.miniProgramPicture());
            }
        }
        return out;
    }
}
