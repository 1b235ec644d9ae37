package io.infershield.auth.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which realm roles become groups, and in what order. */
class GroupsTest {

    @Test
    void keycloaksBuiltInRolesAreDropped() {
        assertEquals(List.of("developer"), Groups.of(List.of("offline_access", "uma_authorization",
                "default-roles-infershield", "default-roles-other", "developer")));
    }

    @Test
    void groupsAreSortedAndDeduplicated() {
        assertEquals(List.of("admin", "ciso", "developer"),
                Groups.of(Arrays.asList("developer", "ciso", null, "developer", "admin", "")));
    }

    @Test
    void namesLongerThanSixtyFourCharactersAreDropped() {
        String longest = "r".repeat(64);
        assertEquals(List.of(longest), Groups.of(List.of(longest, "s".repeat(65))));
    }

    @Test
    void onlyTheFirstThirtyTwoInSortOrderAreKept() {
        List<String> roles = new ArrayList<>(IntStream.range(0, 40).mapToObj(i -> "role-%02d".formatted(i)).toList());
        Collections.reverse(roles);
        List<String> groups = Groups.of(roles);
        assertEquals(32, groups.size());
        assertEquals("role-00", groups.get(0));
        assertEquals("role-31", groups.get(31));
    }
}
