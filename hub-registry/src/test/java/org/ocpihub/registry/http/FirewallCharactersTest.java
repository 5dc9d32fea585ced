package org.ocpihub.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The loops decide as Spring Security's firewall patterns do, for every character they may meet. */
class FirewallCharactersTest {

    /** The patterns of {@code StrictServerWebExchangeFirewall} (spring-security-web 7.1). */
    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyUtf16UnitAloneAndInsideTextIsJudgedAsThePatternsJudgeIt() {
        List<String> disagreements = new ArrayList<>();
        for (int c = 0; c <= 0xFFFF; c++) {
            String alone = String.valueOf((char) c);
            String inside = "Token " + (char) c + " abc";
            for (String s : List.of(alone, inside)) {
                if (FirewallCharacters.assignedAndNotControl(s) != NAMES.matcher(s).matches()
                        || FirewallCharacters.headerValue(s) != VALUES.matcher(s).matches()) {
                    disagreements.add(Integer.toHexString(c));
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void supplementaryCodePointsAndBrokenSurrogatePairsToo() {
        List<String> samples = new ArrayList<>();
        for (int cp = 0x10000; cp <= 0x10FFFF; cp += 0x101) {
            samples.add(new String(Character.toChars(cp)));
        }
        samples.add("\uD83D\uDE00"); // a pair: 😀
        samples.add("\uD83D");       // a lone high surrogate
        samples.add("\uDE00x");      // a lone low surrogate
        samples.add("x\uD83D");
        for (String s : samples) {
            assertThat(FirewallCharacters.assignedAndNotControl(s)).as(s).isEqualTo(NAMES.matcher(s).matches());
            assertThat(FirewallCharacters.headerValue(s)).as(s).isEqualTo(VALUES.matcher(s).matches());
        }
    }

    @Test
    void nullIsAllowedAsTheFirewallAllowsIt() {
        assertThat(FirewallCharacters.assignedAndNotControl(null)).isTrue();
        assertThat(FirewallCharacters.headerValue(null)).isTrue();
    }

    @Test
    void aTabIsAllowedInValuesOnly() {
        assertThat(FirewallCharacters.headerValue("a\tb")).isTrue();
        assertThat(FirewallCharacters.assignedAndNotControl("a\tb")).isFalse();
        assertThat(FirewallCharacters.headerValue("a\nb")).isFalse();
    }
}
