package io.vectorsync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic, varied help-desk style documents of a few hundred characters to about 1.5 KB. */
final class Corpus {

    private static final String[] SUBJECTS = {"The billing team", "Your account", "The mobile app", "Our warehouse",
            "The support desk", "A new employee", "The quarterly report", "The password policy", "Each invoice",
            "The delivery service", "The garden centre", "The travel policy", "The data centre", "A customer"};
    private static final String[] VERBS = {"reviews", "updates", "requires", "explains", "sends", "protects",
            "schedules", "approves", "tracks", "replaces", "measures", "describes"};
    private static final String[] OBJECTS = {"the monthly statement", "two-factor authentication", "the shipping address",
            "overtime hours", "the refund request", "energy consumption", "the onboarding checklist", "backup tapes",
            "expense receipts", "the release notes", "tomato seedlings", "the rental car", "login attempts",
            "customer feedback", "the server racks"};
    private static final String[] TAILS = {"before the end of the month.", "within two business days.",
            "whenever a manager asks for it.", "as described in the handbook.", "to keep everyone safe.",
            "after every major change.", "so that nothing gets lost.", "at the start of each quarter."};

    private Corpus() {
    }

    static List<IngestBenchmark.Doc> documents(int count, long seed) {
        Random random = new Random(seed);
        List<IngestBenchmark.Doc> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sentences = 4 + random.nextInt(18);
            StringBuilder body = new StringBuilder();
            for (int s = 0; s < sentences; s++) {
                if (s > 0) {
                    body.append(s % 6 == 0 ? "\\n\\n" : " ");
                }
                body.append(pick(random, SUBJECTS)).append(' ').append(pick(random, VERBS)).append(' ')
                        .append(pick(random, OBJECTS)).append(' ').append(pick(random, TAILS));
            }
            docs.add(new IngestBenchmark.Doc("doc-" + i, "Note " + i + ": " + pick(random, OBJECTS), body.toString()));
        }
        return docs;
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
