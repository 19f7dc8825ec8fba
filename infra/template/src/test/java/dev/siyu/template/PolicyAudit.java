package dev.siyu.template;

import static dev.siyu.template.TemplateEvaluator.list;
import static dev.siyu.template.TemplateEvaluator.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds IAM grants in a template that break the least-privilege rules of this project: a
 * DynamoDB or SQS action (or {@code *}) on {@code Resource: "*"} or on every table/queue, anything
 * that allows {@code dynamodb:Scan} (wildcards included), {@code NotAction}, SAM policy templates
 * or managed policies known to include Scan or wildcard resources, and SAM event sources that
 * attach such a managed policy themselves. Looks at SAM function
 * {@code Policies} (Globals merged), {@code AWS::IAM::Role} inline policies and
 * {@code AWS::IAM::Policy}/{@code ManagedPolicy} documents.
 */
final class PolicyAudit {

    /** SAM policy templates and AWS managed policies that grant Scan or act on every resource. */
    private static final Set<String> TOO_BROAD = Set.of("DynamoDBCrudPolicy", "DynamoDBReadPolicy",
            "AmazonDynamoDBFullAccess", "AmazonDynamoDBReadOnlyAccess", "AmazonSQSFullAccess", "AdministratorAccess",
            "PowerUserAccess");

    private PolicyAudit() {
    }

    record Grant(String owner, Object statementOrName) {
    }

    static List<Grant> grants(Map<String, Object> template) {
        List<Grant> grants = new ArrayList<>();
        map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            String type = String.valueOf(resource.get("Type"));
            Map<String, Object> props = TemplateEvaluator.withGlobals(template, type, map(resource.get("Properties")));
            switch (type) {
                case "AWS::Serverless::Function" -> {
                    Object policies = props.get("Policies");
                    for (Object policy : policies instanceof List<?> l ? l : policies == null ? List.of() : List.of(policies)) {
                        if (policy instanceof String name) {
                            grants.add(new Grant(id, name));
                        } else if (map(policy).containsKey("Statement")) {
                            statements(map(policy).get("Statement")).forEach(s -> grants.add(new Grant(id, s)));
                        } else {
                            map(policy).keySet().forEach(name -> grants.add(new Grant(id, name)));
                        }
                    }
                    list(props.get("ManagedPolicyArns")).forEach(arn -> grants.add(new Grant(id, String.valueOf(arn))));
                }
                case "AWS::IAM::Role" -> {
                    for (Object policy : list(props.get("Policies"))) {
                        statements(map(map(policy).get("PolicyDocument")).get("Statement"))
                                .forEach(s -> grants.add(new Grant(id, s)));
                    }
                    list(props.get("ManagedPolicyArns")).forEach(arn -> grants.add(new Grant(id, String.valueOf(arn))));
                }
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" ->
                        statements(map(props.get("PolicyDocument")).get("Statement"))
                                .forEach(s -> grants.add(new Grant(id, s)));
                default -> {
                }
            }
        });
        return grants;
    }

    static List<String> violations(Map<String, Object> template) {
        List<String> violations = new ArrayList<>(implicitGrants(template));
        for (Grant grant : grants(template)) {
            if (grant.statementOrName() instanceof String name) {
                String shortName = name.substring(name.lastIndexOf('/') + 1);
                if (TOO_BROAD.contains(shortName)) {
                    violations.add(grant.owner() + ": " + shortName + " allows dynamodb:Scan or every resource");
                }
                continue;
            }
            Map<String, Object> statement = map(grant.statementOrName());
            if (!"Allow".equals(statement.get("Effect"))) {
                continue;
            }
            if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
                violations.add(grant.owner() + ": NotAction/NotResource allow everything not listed");
                continue;
            }
            List<String> actions = strings(statement.get("Action"));
            boolean everyResource = strings(statement.get("Resource")).stream().anyMatch(r ->
                    r.equals("*") || r.endsWith(":*") || r.endsWith(":table/*") || r.endsWith("/*"));
            for (String action : actions) {
                String a = action.toLowerCase();
                boolean dataAction = a.equals("*") || a.startsWith("dynamodb:") || a.startsWith("sqs:");
                if (dataAction && everyResource) {
                    violations.add(grant.owner() + ": " + action + " on every resource (" + statement.get("Resource") + ")");
                }
                // No function scans, the scheduler included: its daily jobs read the profiles index (issue 10).
                if (wildcard(a).matcher("dynamodb:scan").matches()) {
                    violations.add(grant.owner() + ": " + action + " allows dynamodb:Scan");
                }
            }
        }
        return violations;
    }

    /**
     * Grants SAM adds on its own, which no Policies entry shows: an {@code SQS} event source attaches
     * the managed AWSLambdaSQSQueueExecutionRole, whose statement has {@code Resource: "*"}
     * (samtranslator/model/eventsources/pull.py, class SQS).
     */
    static List<String> implicitGrants(Map<String, Object> template) {
        List<String> violations = new ArrayList<>();
        map(template.get("Resources")).forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            for (Object event : map(map(resource.get("Properties")).get("Events")).values()) {
                if ("SQS".equals(map(event).get("Type"))) {
                    violations.add(id + ": its SQS event attaches AWSLambdaSQSQueueExecutionRole (sqs:ReceiveMessage,"
                            + " sqs:DeleteMessage, sqs:GetQueueAttributes on every queue); use an"
                            + " AWS::Lambda::EventSourceMapping and a statement on the queue");
                    return;
                }
            }
        });
        return violations;
    }

    /** All allowed actions, for assertions on exact grants. */
    static List<String> actions(Map<String, Object> template, String owner) {
        List<String> actions = new ArrayList<>();
        grants(template).stream().filter(g -> g.owner().equals(owner) && g.statementOrName() instanceof Map)
                .forEach(g -> actions.addAll(strings(map(g.statementOrName()).get("Action"))));
        return actions;
    }

    private static List<Object> statements(Object statement) {
        return statement instanceof List<?> l ? new ArrayList<>(l) : statement == null ? List.of() : List.of(statement);
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        for (Object item : list(value)) {
            if (item instanceof String s) {
                out.add(s);
            }
        }
        return out;
    }

    private static Pattern wildcard(String iamPattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : iamPattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
