package dev.siyu.local;

import dev.siyu.bench.CallbackBench;
import dev.siyu.bench.ColdStartBench;
import dev.siyu.bench.EngineBench;
import dev.siyu.bench.FaultsBench;
import dev.siyu.core.config.ConfigException;
import dev.siyu.core.config.ConfigProblem;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.embedded.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The {@code ./siyu} command line: the local stack, its inspection commands, the demo and benchmarks. */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: ./siyu <command> [options]",
            "",
            "  local    [--config FILE] [--port 3000] [--dynamodb-port 8000] [--sqs-port 9324] [--wecom-port 3001] [--miniapp-port 3002]",
            "           DynamoDB Local, ElasticMQ, the WeCom and Mini Program stubs, the blueprint applied, and the",
            "           wecom-callback, staff-sidebar, miniapp-api and scoring functions behind http://127.0.0.1:3000",
            "           (/wecom/callback, /sidebar, /miniapp/*, /ingest/*, /admin/*), until Ctrl-C",
            "  score    CUSTOMER_ID | --train  [--gateway http://127.0.0.1:3000]",
            "           the admin API on the running local stack: one customer scored now (churn, P(alive), CLV, tier,",
            "           persona, propensities written to the profile; the churn journey above its threshold), or",
            "           the churn model trained now; prints the scoring function's JSON",
            "  channels [--json] [--dynamodb http://127.0.0.1:8000] [--tenant demo-brand] [--table siyu]",
            "           the channel codes in the running stack's table",
            "  profile  --external-user-id ID [--dynamodb URL] [--tenant demo-brand] [--table siyu]",
            "           one customer's profile and timeline as JSON",
            "  demo     [--customers 500] [--days 30] [--seed 1] [--history 40] [--json] [--record DIR]",
            "           [--store stack|memory] [--config FILE] [--faults RATE] [--start YYYY-MM-DD]",
            "           a synthetic population through encrypted callbacks, the journey engine, the outreach",
            "           gate and the scheduled jobs on a virtual clock, on the embedded stack (or in memory);",
            "           prints the funnel reports, success metrics, gate decisions and guardrail invariants;",
            "           --faults 0.05 fails 5% of the engine's I/O calls (deterministic by seed, docs/faults.md)",
            "  groups   list [--json] | assign CHAT_ID TYPE   [--dynamodb URL | --region R] [--table siyu] [--tenant T]",
            "           the customer groups WeCom reported (type, owner, members, join QR); assign gives one a",
            "           blueprint type and makes its join way and welcome template (local stub, or the real corp",
            "           with --region and SIYU_WECOM_* from the environment)",
            "  send     EVENT.json [--gateway http://127.0.0.1:3000]",
            "           an events/ callback sample signed again with the time now, posted to the running stack",
            "  tour     [--config FILE]",
            "           signed, encrypted callbacks for each example channel code through the gateway and the",
            "           packaged function; prints the welcome messages, tags and profiles; exits 1 if one is missing",
            "  apply    --config FILE --region R [--table siyu] [--stack siyu-dev] [--stack-time-zone ZONE]",
            "           applies a blueprint to a deployed stack: checks its timezone against the stack's TimeZone",
            "           parameter (read from CloudFormation unless given) and its staff against WeCom's directory",
            "           (an unknown or departed userid is an error at its line), stores it as the tenant's next config",
            "           version and creates its channel codes in the real WeCom corp (SIYU_WECOM_* from the environment,",
            "           SIYU_WECOM_CONTACTS_SECRET included)",
            "  bench callback  [--events 2000] [--warmup 300] [--config FILE] [--json]",
            "           in-process latency, DynamoDB capacity and WeCom calls per new contact",
            "  bench ingest    [--orders 1000] [--warmup 300]   POST /ingest/orders in process against DynamoDB Local: p50/p99, WCU per order, 100 concurrent redemptions",
            "  bench coldstart [args]   the Lambda cold start benchmark (--help lists its options)",
            "  bench journeys  [--customers 10000] [--days 30]   the whole simulation on in-memory stores",
            "  bench worker    [--customers 200]   journey steps against DynamoDB Local: steps/s, WCU per step",
            "  bench timers    [--timers 100000] [--shards 32] [--threads 16]   the timer sweep to ElasticMQ",
            "  bench faults    [--seeds 50] [--from 1] [--faults 0.05] [--customers 200] [--days 20] [--history D] [--start DATE]",
            "           the in-memory demo for consecutive seeds with faults: every invariant per seed",
            "  bench ltv       [--customers 25000] [--runs 3]   BG/NBD + Gamma-Gamma fit time on synthetic customers",
            "  bench churn     [--rows 200000] [--batch 10000] [--single 20000]   XGBoost churn scoring: rows/s, one-row latency",
            "  dlq      list|redrive [--queue journey|scheduler] [--max N] [--sqs http://127.0.0.1:9324]",
            "           [--region R --dlq-url URL --source-url URL | --function SchedulerFunctionAlias]",
            "           the dead letters of the local stack or a deployed one; redrive sends each back to its queue",
            "           (a scheduled job's: an asynchronous run of the scheduler) and deletes it only after the send",
            "  mass-send --campaign NAME --text TEXT [--content value|promotional] [--tags a,b] [--stages s1,s2]",
            "           [--region R --function SchedulerFunctionAlias [--wait]]",
            "           a campaign to the customers with all the tags at any of the stages, through the gate; on the",
            "           local stack, or run by the deployed scheduler (a second run of a campaign resumes it)",
            "  transfer --from STAFF --to STAFF --customers id1,id2  [--region R --function SchedulerFunctionAlias [--wait]]",
            "           hands up to 100 named customers of a staff member on the job to a colleague (WeCom asks them)",
            "  ltv fit  --transactions FILE --calibration-end YYYY-MM-DD [--holdout-end YYYY-MM-DD] [--period week|day]",
            "           [--json] [--values OUT.csv]",
            "           BG/NBD and Gamma-Gamma fitted on a CSV customer_id,date,amount (or the UCI Online Retail log,",
            "           data/online_retail.csv.gz); with a holdout, predicted vs actual repeat purchases in it;",
            "           --values writes each customer's P(alive), 12-month CLV and LTV tier (docs/intelligence.md)",
            "  personas --transactions FILE [--json] [--k N] [--as-of YYYY-MM-DD]",
            "           k-means++ on behaviour features, k by silhouette over 3..8, each cluster named and described",
            "  churn    train --csv FILE --label COLUMN [--id COLUMN] [--model-dir DIR] [--json] [--transactions FILE [--window-days 90]]",
            "           XGBoost on any table: stratified 80/20 holdout, holdout AUC, calibration, importance, model card;",
            "           with fewer than 100 of a class, BG/NBD's P(no purchase in the window) on --transactions instead",
            "  churn    score --model-dir DIR --csv FILE [--id COLUMN] [--transactions FILE]",
            "           prints id,score for every row (--transactions: needed when the model is the BG/NBD fallback)",
            "  churn    features --transactions FILE [--window-days 90] [--out FILE]",
            "           a churn table from transactions: features up to the last WINDOW days, churned = no purchase in them",
            "  help     this text",
            "",
            "WeCom token, EncodingAESKey and corp id come from SIYU_WECOM_TOKEN, SIYU_WECOM_AES_KEY and",
            "SIYU_WECOM_CORP_ID, else from config/local.env.");

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, LocalEnv.defaultRoot());
        if (code >= 0) {
            System.exit(code);
        }
    }

    /**
     * Runs one command; returns the exit code, or -1 when the command keeps running on other
     * threads (local) and the JVM must not exit.
     */
    static int run(String[] args, PrintStream out, PrintStream err, Path root) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        List<String> rest = CliArgs.tail(args, 1);
        try {
            switch (args[0]) {
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                case "local":
                    return local(rest, out, root);
                case "channels":
                    return ChannelsCommand.run(rest, out, err);
                case "profile":
                    return ProfileCommand.run(rest, out, err);
                case "demo":
                    return SimulationCommand.run(rest, out, err, root);
                case "tour":
                    return TourCommand.run(rest, out, err, root);
                case "apply":
                    return ApplyCommand.run(rest, out, root, System.getenv());
                case "bench":
                    return bench(rest, out, err, root);
                case "dlq":
                    return DlqCommand.run(rest, out, err);
                case "send":
                    return SendCommand.run(rest, out, err, root);
                case "score":
                    return ScoreCommand.run(rest, out, err);
                case "groups":
                    return GroupsCommand.run(rest, out, err, root, System.getenv());
                case "mass-send":
                    return OperatorCommand.massSend(rest, out, err, root);
                case "transfer":
                    return OperatorCommand.transfer(rest, out, err, root);
                case "ltv":
                    return LtvCommand.run(rest, out, err, root);
                case "personas":
                    return PersonasCommand.run(rest, out, err, root);
                case "churn":
                    return ChurnCommand.run(rest, out, err, root);
                default:
                    throw new UsageException("unknown command '" + args[0] + "'");
            }
        } catch (UsageException e) {
            err.println("siyu: " + e.getMessage());
            err.println("(./siyu help lists every command and option)");
            return 2;
        } catch (ConfigException e) {
            err.println("siyu: the blueprint has " + e.problems().size() + " problem(s):");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("siyu: interrupted");
            return 1;
        } catch (Exception e) {
            // An UncheckedIOException's own message is its cause's toString(): say the cause's words.
            Throwable shown = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            err.println("siyu: " + (shown.getMessage() == null ? shown.toString() : shown.getMessage()));
            return 1;
        }
    }

    private static int local(List<String> argv, PrintStream out, Path root) throws InterruptedException {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("config", "port", "dynamodb-port", "sqs-port", "wecom-port", "miniapp-port"));
        StackPorts ports = StackPorts.from(args);
        LocalServer server = LocalServer.start(LocalEnv.load(root, System.getenv()),
                args.path("config", root, Blueprint.DEFAULT), ports, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "siyu-local-shutdown"));
        out.println("siyu local ready: " + server.url());
        out.flush();
        // Ctrl-C runs the hook, which closes everything (and kills the function process) before exit.
        stopped.await();
        return -1;
    }

    /** The functions' structured INFO lines are for CloudWatch; in the demo and the benches the output is the report. */
    static void onlyWarnings() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static int bench(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        if (argv.isEmpty()) {
            throw new UsageException("bench needs a target: callback, coldstart, journeys, worker, timers, faults, ingest, ltv or churn");
        }
        onlyWarnings();
        List<String> rest = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "callback":
                return CallbackBench.run(rest, out, root);
            case "coldstart":
                // Its main owns its exit code (System.exit on a usage error, as when run alone).
                ColdStartBench.main(rest.toArray(new String[0]));
                return 0;
            case "journeys":
                return EngineBench.journeys(rest, out, root);
            case "worker":
                return EngineBench.worker(rest, out, root);
            case "timers":
                return EngineBench.timers(rest, out, root);
            case "faults":
                return FaultsBench.run(rest, out, root);
            case "ltv":
                return LtvBench.run(rest, out);
            case "churn":
                return ChurnBench.run(rest, out);
            case "ingest":
                return dev.siyu.bench.IngestBench.run(rest, out, root);
            default:
                throw new UsageException("unknown bench '" + argv.get(0) + "' (callback, coldstart, journeys, worker, timers, faults, ingest, ltv, churn)");
        }
    }
}
