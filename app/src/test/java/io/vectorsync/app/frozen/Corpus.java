package io.vectorsync.app.frozen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fixed texts for the frozen store: a few topics of support-desk and hobby writing, combined by a
 * seeded {@link Random} into titles, bodies and metadata, each body made unique by a reference number.
 */
final class Corpus {

    record Topic(String team, List<String> titles, List<String> sentences, List<String> tags) {
    }

    static final List<Topic> TOPICS = List.of(
            new Topic("support",
                    List.of("Resetting your password", "Locked out of the account", "Two-factor sign-in", "Changing the login e-mail"),
                    List.of("If you forgot your password, open Account settings and choose Reset password.",
                            "After five failed sign-in attempts the account is locked for fifteen minutes.",
                            "The reset link in the e-mail stays valid for one hour.",
                            "Two-factor authentication asks for a six-digit code from your phone app.",
                            "Lost your phone? Use one of the recovery codes you printed when you set up two-factor sign-in.",
                            "Support can unlock an account once the owner confirms their identity by phone.",
                            "A new login e-mail address must be confirmed before the old one stops working.",
                            "Passwords need at least twelve characters and may not repeat the last three."),
                    List.of("account", "login", "security")),
            new Topic("billing",
                    List.of("Refunds", "Getting a copy of an invoice", "Payment methods", "VAT on invoices"),
                    List.of("Refunds go back to the original card within ten business days after we receive the item.",
                            "Invoices are listed under Billing; download any month as a PDF.",
                            "We accept credit cards, bank transfers and direct debit for yearly plans.",
                            "Business customers in the EU can add their VAT number so invoices show reverse charge.",
                            "A failed card payment is retried three times over a week before the plan is paused.",
                            "Credit notes appear next to the invoice they correct.",
                            "Changing the billing address only affects invoices issued afterwards.",
                            "Partial refunds are possible when only some items of an order come back."),
                    List.of("invoice", "payment", "refund")),
            new Topic("logistics",
                    List.of("Shipping times", "Customs for international parcels", "Warehouse stock note", "Tracking a parcel"),
                    List.of("Parcels within the country arrive in two to three working days.",
                            "International shipments need a customs declaration listing every item and its value.",
                            "The warehouse in Leipzig ships cartons of twelve and reorders when fewer than three remain.",
                            "Tracking numbers are e-mailed as soon as the carrier scans the parcel.",
                            "Pallets leave the loading dock at six in the morning and at two in the afternoon.",
                            "Damaged parcels should be photographed before they are opened.",
                            "Express delivery costs extra and is not available on islands.",
                            "Returns travel with a prepaid label printed from the order page."),
                    List.of("shipping", "warehouse", "customs")),
            new Topic("maintenance",
                    List.of("Swapping a worn seal", "Pump service interval", "Bleeding the hydraulic valve", "Lubrication schedule"),
                    List.of("Drain the pump and pull out the old O-ring with a plastic pick before pressing in a new one.",
                            "Service the circulation pump every two thousand operating hours.",
                            "A leaking valve usually needs a new gasket rather than a new housing.",
                            "Bleed air from the hydraulic line until the fluid runs clear without bubbles.",
                            "Grease the bearings monthly with lithium grease, never with oil.",
                            "Vibration at start-up points to a misaligned coupling between motor and pump.",
                            "Log every repair with the serial number of the machine.",
                            "Tighten flange bolts crosswise so the gasket compresses evenly."),
                    List.of("pump", "valve", "repair")),
            new Topic("gardening",
                    List.of("Growing tomatoes", "Making compost", "Pruning fruit trees", "Watering in summer"),
                    List.of("Plant tomatoes outside once the nights stay above ten degrees.",
                            "A compost heap needs a mix of green kitchen scraps and brown dry leaves.",
                            "Prune apple trees in late winter while they are dormant.",
                            "Water deeply twice a week instead of a little every day.",
                            "Mulch keeps the soil moist and suppresses weeds around young plants.",
                            "Pinch out the side shoots of cordon tomatoes as they appear.",
                            "Turn the compost every few weeks so air reaches the middle.",
                            "Collect rainwater in barrels for dry spells in July."),
                    List.of("vegetables", "soil", "trees")),
            new Topic("cooking",
                    List.of("Sourdough bread", "A simple vegetable soup", "Toasting spices", "Baking biscuits"),
                    List.of("Feed the sourdough starter the evening before you bake.",
                            "Bake the loaf in a preheated cast-iron pot with the lid on for the first twenty minutes.",
                            "Sweat onions, carrots and celery slowly before adding the stock.",
                            "Toast whole cumin and coriander seeds in a dry pan until they smell nutty.",
                            "Chill biscuit dough for an hour so the cookies keep their shape.",
                            "Season the soup at the end, once it has reduced.",
                            "A long cold proof in the fridge gives the bread a more sour flavour.",
                            "Grind toasted spices just before use; they lose aroma within weeks."),
                    List.of("baking", "recipes", "spices")),
            new Topic("travel",
                    List.of("Booking night trains", "Visa checklist", "Packing light", "Hotel cancellation rules"),
                    List.of("Night trains sell sleeper cabins up to six months in advance.",
                            "Check whether your passport must stay valid for six months after the trip.",
                            "A carry-on bag and a small backpack are enough for a week if you plan to do laundry once.",
                            "Most hotels allow free cancellation until two days before arrival.",
                            "Seat reservations are compulsory on many high-speed trains.",
                            "Keep digital copies of your tickets and passport in case the paper ones get lost.",
                            "Some countries issue visas on arrival; others need an appointment at the embassy.",
                            "Travel insurance rarely covers delays you booked knowingly."),
                    List.of("trains", "visa", "hotels")),
            new Topic("security",
                    List.of("Spotting phishing e-mails", "Encrypting laptops", "Visitor badges", "Quarterly access audit"),
                    List.of("Phishing messages often create urgency and link to look-alike domains.",
                            "Every company laptop uses full-disk encryption with a recovery key held by IT.",
                            "Visitors wear a red badge and must be accompanied at all times.",
                            "Access rights are reviewed every quarter by each team lead.",
                            "Report a suspicious e-mail with the Report button instead of forwarding it.",
                            "USB sticks found in the building go to the security desk unopened.",
                            "Shared accounts are not allowed; every person signs in with their own identity.",
                            "Security training is repeated every year and takes about forty minutes."),
                    List.of("phishing", "encryption", "audit")),
            new Topic("hr",
                    List.of("First day onboarding", "Requesting vacation", "Payroll dates", "Training budget"),
                    List.of("New colleagues receive their laptop and badge on the first morning.",
                            "Vacation requests go through the HR portal at least two weeks ahead.",
                            "Salaries are paid on the last working day of each month.",
                            "Every employee has a yearly training budget for courses and conferences.",
                            "A buddy from the team helps new starters during their first month.",
                            "Unused vacation days can be carried over until the end of March.",
                            "Payslips are available in the portal three days before payday.",
                            "Conference travel counts against the training budget, not the travel budget."),
                    List.of("onboarding", "vacation", "payroll")),
            new Topic("astronomy",
                    List.of("Choosing a first telescope", "Watching meteor showers", "Photographing the moon", "Planets this season"),
                    List.of("A small refractor on a stable mount shows Saturn's rings and Jupiter's moons.",
                            "The Perseid meteor shower peaks in mid-August, best after midnight.",
                            "Let your eyes adapt to the dark for twenty minutes before observing.",
                            "Photograph the moon near the terminator, where shadows reveal the craters.",
                            "Venus is brightest in the evening sky a few weeks before it passes the sun.",
                            "Light pollution hides faint galaxies; drive away from the city for dark skies.",
                            "A red torch keeps your night vision while reading a star chart.",
                            "Binoculars are a cheap way to start and show the moons of Jupiter."),
                    List.of("telescope", "planets", "night-sky")));

    static final List<String> CITIES = List.of("Leipzig", "Porto", "Tromsø", "Lyon", "Gdańsk", "Bologna", "Ghent", "Brno");

    /** Product categories of the client-vector space, each around its own cluster of vectors. */
    static final List<String> CATEGORIES = List.of("tools", "garden", "kitchen", "toys", "books", "sports");
    static final List<String> ADJECTIVES = List.of("sturdy", "compact", "foldable", "lightweight", "classic", "deluxe");

    private Corpus() {
    }

    static Topic topic(Random random) {
        return TOPICS.get(random.nextInt(TOPICS.size()));
    }

    static String title(Topic topic, Random random, int number) {
        return topic.titles().get(random.nextInt(topic.titles().size())) + " (" + number + ")";
    }

    /**
     * Some sentences of the topic, in a shuffled order, and a last sentence with the reference number.
     * Long bodies (six to eight sentences) take more than one chunk of 64 tokens.
     */
    static String body(Topic topic, Random random, String reference, boolean longBody) {
        List<String> sentences = new ArrayList<>(topic.sentences());
        java.util.Collections.shuffle(sentences, random);
        int count = longBody ? 6 + random.nextInt(3) : 2 + random.nextInt(2);
        List<String> chosen = new ArrayList<>(sentences.subList(0, count));
        chosen.add("Reference " + reference + " was filed in " + CITIES.get(random.nextInt(CITIES.size())) + ".");
        return String.join(" ", chosen);
    }

    static Map<String, Object> metadata(String team, List<String> tagPool, Random random) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("team", team);
        metadata.put("year", 2018 + random.nextInt(8));
        List<String> tags = new ArrayList<>(tagPool);
        java.util.Collections.shuffle(tags, random);
        metadata.put("tags", List.copyOf(tags.subList(0, 1 + random.nextInt(2))));
        metadata.put("public", random.nextBoolean());
        metadata.put("priority", 1 + random.nextInt(5));
        return metadata;
    }
}
