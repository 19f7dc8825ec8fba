package dev.siyu.core.staff;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.CorpDirectory.Standing;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code staff-directory} job: reads WeCom's directory and checks the blueprint's staff against it. A member
 * who is not in the directory any more, or whom user/get reports disabled (2) or left (5), is marked departed
 * ({@link StaffLoadStore#markDeparted}): offboarding never makes them anyone's successor and hands their customer groups on, and a {@code staff_departed} entry goes to the tenant's
 * {@code STAFF} log once. Their customers come through WeCom's own unassigned list, as offboarding reads it.
 */
public final class StaffDirectorySync {
    private static final System.Logger LOG = System.getLogger(StaffDirectorySync.class.getName());
    public static final String LOG_SUBJECT = "STAFF";

    private final ScrmConfig config;
    private final WeComApi wecom;
    private final StaffLoadStore loads;
    private final TenantLog log;
    private final Ids ids;
    private final int pageSize;

    public StaffDirectorySync(ScrmConfig config, WeComApi wecom, StaffLoadStore loads, TenantLog log, Ids ids) {
        this(config, wecom, loads, log, ids, DirectoryReader.MAX_PAGE);
    }

    /** @param pageSize user/list_id's page (tests page a small directory) */
    public StaffDirectorySync(ScrmConfig config, WeComApi wecom, StaffLoadStore loads, TenantLog log, Ids ids,
                              int pageSize) {
        this.config = config;
        this.wecom = wecom;
        this.loads = loads;
        this.log = log;
        this.ids = ids;
        this.pageSize = pageSize;
    }

    /**
     * @param skipped        why nothing was read or marked (no contacts secret, an empty listing), else empty
     * @param departments    departments in the corp
     * @param members        members user/list_id listed
     * @param pages          user/list_id pages read
     * @param staff          blueprint members checked
     * @param departed       blueprint members gone, with the reason (newly marked or marked before)
     * @param newlyMarked    of those, marked by this run
     * @param notActivated   blueprint members invited but not activated yet
     */
    public record Summary(String skipped, int departments, int members, int pages, int staff,
                         Map<String, String> departed, List<String> newlyMarked, List<String> notActivated) {
        public Summary {
            departed = Map.copyOf(departed);
            newlyMarked = List.copyOf(newlyMarked);
            notActivated = List.copyOf(notActivated);
        }
    }

    public Summary run(Instant now) {
        String tenant = config.tenant();
        if (!wecom.readsDirectory()) {
            LOG.log(Level.WARNING, JsonLog.line("staff directory not read: no contacts secret",
                    "tenant", tenant, "set", "SIYU_WECOM_CONTACTS_SECRET"));
            return new Summary("no contacts secret (SIYU_WECOM_CONTACTS_SECRET)", 0, 0, 0, 0, Map.of(), List.of(),
                    List.of());
        }
        List<String> staff = config.staff().stream().map(StaffMember::userId).toList();
        CorpDirectory directory = new DirectoryReader(wecom, pageSize).read(staff);
        if (directory.listed().isEmpty()) {
            // Every corp has at least its admin: an empty listing is a misconfigured secret or an outage, and
            // marking the whole staff for offboarding on it would hand every customer away.
            LOG.log(Level.WARNING, JsonLog.line("staff directory listed no members; nothing marked", "tenant", tenant));
            return new Summary("the directory listed no members", directory.departments().size(), 0,
                    directory.pages(), staff.size(), Map.of(), List.of(), List.of());
        }
        Map<String, StaffLoadStore.Departure> before = loads.departed(tenant);
        Map<String, String> departed = new LinkedHashMap<>();
        List<String> newly = new ArrayList<>();
        List<String> notActivated = new ArrayList<>();
        for (String userId : staff) {
            Standing standing = directory.standing(userId);
            if (standing == Standing.NOT_ACTIVATED) {
                notActivated.add(userId);
            }
            if (!standing.gone()) {
                continue;
            }
            departed.put(userId, standing.reason());
            if (before.containsKey(userId)) {
                continue;
            }
            // Marked first: a crash between the two loses only the log entry; the mark is what offboarding reads.
            loads.markDeparted(tenant, userId, standing.reason(), now);
            log.append(tenant, LOG_SUBJECT, new TimelineEvent(ids.next("ev", now), now, "staff_departed", userId,
                    Map.of("staff", userId, "reason", standing.reason())));
            newly.add(userId);
            LOG.log(Level.WARNING, JsonLog.line("staff member left WeCom's directory; marked for offboarding",
                    "tenant", tenant, "staff", userId, "reason", standing.reason()));
        }
        return new Summary("", directory.departments().size(), directory.listed().size(), directory.pages(),
                staff.size(), departed, newly, notActivated);
    }
}
