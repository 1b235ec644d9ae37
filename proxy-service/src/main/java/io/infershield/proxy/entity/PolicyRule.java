package io.infershield.proxy.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One stored rule: for a tenant and group ({@code *} = the tenant's default), a category's threshold and action. */
@Entity
@Table(name = "policy_rule")
public class PolicyRule {

    /** The group name that stands for the tenant's default. */
    public static final String TENANT_DEFAULT = "*";
    /** Tenant names as they appear in paths and gateway credentials. */
    public static final String TENANT_PATTERN = "[A-Za-z0-9._-]{1,64}";
    /** Group names as Keycloak and auth-service report them, or {@code *}. */
    public static final String GROUP_PATTERN = "\\*|[A-Za-z0-9._@-]{1,128}";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String tenant;

    @Column(name = "group_name")
    public String groupName;

    /** The wire name of the category, e.g. {@code secret}. */
    public String category;

    public int threshold;

    /** The wire name of the action, e.g. {@code redact}. */
    public String action;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
