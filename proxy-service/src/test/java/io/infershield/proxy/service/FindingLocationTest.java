package io.infershield.proxy.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A finding's location goes into audit events: member names chosen by the model must not carry value-like text. */
class FindingLocationTest {

    @Test
    void plainMemberNamesAreKept() {
        assertEquals("/messages/1/content/0/input/command",
                SecurityLayer.pointer("/messages/1/content/0/input", "command"));
        assertEquals("/input/old_string", SecurityLayer.pointer("/input", "old_string"));
    }

    @Test
    void aNameThatCouldBeAValueIsWrittenAsAStar() {
        assertEquals("/input/*", SecurityLayer.pointer("/input", "AKIAZ4X7QW2MNB5RT3KP"));
        assertEquals("/input/*", SecurityLayer.pointer("/input", "a/b"));
        assertEquals("/input/*", SecurityLayer.pointer("/input", "x".repeat(33)));
        assertEquals("/input/*", SecurityLayer.pointer("/input", ""));
    }
}
