package io.infershield.proxy.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A tenant's tool-pinning mode set through the admin API: {@code enforce} or {@code audit}. */
@Entity
@Table(name = "tool_pinning")
public class ToolPinning {

    @Id
    public String tenant;

    public String mode;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
