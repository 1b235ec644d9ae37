package io.infershield.auth.service;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserCodesTest {

    /** χ² critical value for 19 degrees of freedom at p = 0.001. */
    private static final double CHI_SQUARE_19_DF_P001 = 43.82;

    @Test
    void lettersAreUniformWithoutModuloBias() {
        // a seeded source keeps the test deterministic; a modulo-reduced byte (256 % 20 != 0) would score about 195
        UserCodes codes = new UserCodes(new Random(20250601L));
        int alphabet = UserCodes.ALPHABET.length();
        long[] counts = new long[alphabet];
        int draws = 25_000;
        for (int i = 0; i < draws; i++) {
            for (char c : codes.next().toCharArray()) {
                counts[UserCodes.ALPHABET.indexOf(c)]++;
            }
        }
        double expected = draws * (double) UserCodes.LENGTH / alphabet;
        double chiSquare = 0;
        for (long count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        assertTrue(chiSquare < CHI_SQUARE_19_DF_P001, "chi-square " + chiSquare);
    }

    @Test
    void productionCodesUseOnlyTheAlphabetAndDisplayAsTwoGroupsOfFour() {
        UserCodes codes = new UserCodes();
        for (int i = 0; i < 1_000; i++) {
            String display = UserCodes.display(codes.next());
            assertTrue(display.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), display);
        }
    }

    @Test
    void normalizationIgnoresCaseDashesAndSpaces() {
        assertEquals(Optional.of("BCDFGHJK"), UserCodes.normalize("bcdf-ghjk"));
        assertEquals(Optional.of("BCDFGHJK"), UserCodes.normalize(" BCDF ghjk "));
        assertEquals(Optional.of("BCDFGHJK"), UserCodes.normalize("bc-df-gh-jk"));
    }

    @Test
    void normalizationRejectsWrongLengthAndForeignCharacters() {
        assertEquals(Optional.empty(), UserCodes.normalize("BCDF-GHJ"));
        assertEquals(Optional.empty(), UserCodes.normalize("BCDF-GHJKL"));
        assertEquals(Optional.empty(), UserCodes.normalize("ABCD-EFGH"));
        assertEquals(Optional.empty(), UserCodes.normalize("<script>"));
        assertEquals(Optional.empty(), UserCodes.normalize(null));
    }
}
