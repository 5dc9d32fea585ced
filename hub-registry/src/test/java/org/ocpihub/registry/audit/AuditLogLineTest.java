package org.ocpihub.registry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The audit log's log line holds one line whatever an operator typed: a refused platform name is audited as typed,
 * and a line break in it forged a second log line ("audit: … platform.create Evil\n2026-… INFO forged").
 */
class AuditLogLineTest {

    @Test
    void controlCharactersBecomeQuestionMarksInTheLogLine() {
        assertThat(AuditLog.oneLine("Evil\n2026-12-01T07:00:00.000Z  INFO forged")).doesNotContain("\n")
                .isEqualTo("Evil?2026-12-01T07:00:00.000Z  INFO forged");
        // siblings: a carriage return, a tab and a terminal escape; ordinary text and null pass unchanged
        assertThat(AuditLog.oneLine("a\rb\tc\u001b[31m")).isEqualTo("a?b?c?[31m");
        assertThat(AuditLog.oneLine("Charge Co – Zürich")).isEqualTo("Charge Co – Zürich");
        assertThat(AuditLog.oneLine(null)).isNull();
    }
}
