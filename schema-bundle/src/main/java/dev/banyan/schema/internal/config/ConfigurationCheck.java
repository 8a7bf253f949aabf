package dev.banyan.schema.internal.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * [R11] Checks one configuration against the metatype its bundle declares for the PID: every
 * property known, every value of its type, within its range and among its options. The metatype is
 * the one description of what a component accepts, so a PID another bundle adds is checked as soon
 * as it designates an object class definition.
 */
final class ConfigurationCheck {

    /** Properties Config Admin, fileinstall and Karaf add to configurations; never a component's own. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "felix.", "component.", "org.apache.karaf.", ".");

    private ConfigurationCheck() {
    }

    /**
     * @return per bad property, a text naming the property, the value and what is allowed
     *         ({@code durability = 'fsync' is not allowed (not a valid option): one of FSYNC, OS}); empty if
     *         every property is good
     */
    static Map<String, String> problems(String pid, ObjectClassDefinition ocd, Dictionary<String, ?> properties) {
        Map<String, AttributeDefinition> known = new LinkedHashMap<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            known.put(ad.getID(), ad);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        for (String key : Collections.list(properties.keys())) {
            if (FRAMEWORK_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            Object value = properties.get(key);
            AttributeDefinition ad = known.get(key);
            if (ad == null) {
                problems.put(key, key + " = '" + value + "' is not a known property (known: " + String.join(", ", known.keySet()) + ")");
                continue;
            }
            for (String text : texts(value)) {
                String verdict = verdict(ad, text);
                String allowed = allowed(ad);
                if (verdict == null) {
                    UsableValues.Refusal refusal = UsableValues.refusal(pid, key, text);
                    if (refusal != null) {
                        verdict = refusal.why();
                        allowed = refusal.allowed();
                    }
                }
                if (verdict != null) {
                    problems.merge(key, key + " = '" + text + "' is not allowed (" + verdict + "): " + allowed,
                            (first, next) -> first + "; " + next);
                }
            }
        }
        return problems;
    }

    /**
     * Null if {@code text} is a good value of {@code ad}, else why not. A value is checked exactly as
     * written: components read it as written (Felix SCR turns {@code "FSYNC "} into no enum constant,
     * {@code "true "} into false), so surrounding whitespace is refused rather than trimmed here only.
     */
    private static String verdict(AttributeDefinition ad, String text) {
        if (!text.equals(text.strip())) {
            return "leading or trailing whitespace";
        }
        if (ad.getType() == AttributeDefinition.STRING && options(ad) == null) {
            return null; // free text, the empty string included
        }
        String result = ad.validate(text);
        if (result == null || result.isEmpty()) {
            return null;
        }
        // Felix's metatype answers with localisation keys such as "%less than minimum".
        return result.startsWith("%") ? result.substring(1) : result;
    }

    /** What {@code ad} accepts, in words an operator can act on. */
    private static String allowed(AttributeDefinition ad) {
        String[] options = options(ad);
        String kind = options != null ? "one of " + String.join(", ", options) : switch (ad.getType()) {
            case AttributeDefinition.INTEGER, AttributeDefinition.LONG, AttributeDefinition.SHORT, AttributeDefinition.BYTE ->
                    "a whole number";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            default -> "text";
        };
        String description = ad.getDescription();
        return description == null || description.isBlank() ? kind
                : kind + "; " + ad.getName() + ": " + description.strip().replaceAll("\\.$", "");
    }

    /** The allowed values, or null if any value of the type is (Felix answers an empty array then). */
    private static String[] options(AttributeDefinition ad) {
        String[] options = ad.getOptionValues();
        return options == null || options.length == 0 ? null : options;
    }

    private static List<String> texts(Object value) {
        if (value == null) {
            return List.of("");
        }
        if (value.getClass().isArray()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                texts.add(String.valueOf(Array.get(value, i)));
            }
            return texts;
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
