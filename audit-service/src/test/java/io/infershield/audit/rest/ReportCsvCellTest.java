package io.infershield.audit.rest;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReportCsvCellTest {

    /** OWASP "CSV Injection": the characters a spreadsheet reads as the start of a formula. */
    @ParameterizedTest
    @ValueSource(strings = {"=1+2", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd"})
    void textThatASpreadsheetWouldRunGetsALeadingApostrophe(String value) {
        assertEquals("'" + value, ReportCsv.text(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "ghp_…[REDACTED:github_pat]", "/messages/0/content", "a=b", " =x", "'quoted"})
    void otherTextIsLeftAsItIs(String value) {
        assertEquals(value, ReportCsv.text(value));
    }

    @org.junit.jupiter.api.Test
    void nullAndEmptyStayAsTheyAre() {
        assertNull(ReportCsv.text(null));
        assertEquals("", ReportCsv.text(""));
    }
}
