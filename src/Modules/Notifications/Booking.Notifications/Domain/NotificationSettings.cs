using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// A business's notification choices (seed 000). One row per business; absent = a business that never saved them:
/// <see cref="NewBusinessDefaults"/>, nothing enabled (decision 350: switching the booking emails on by default was
/// tried and held back, see there; Setup → Client Portal says who gets booking emails, or that nobody does and why).
/// The diary-contact and extra-address emails fire for portal changes; staff changes only when opted in.
/// </summary>
public sealed class NotificationSettings : ITenantOwned
{
    public const int MaxExtraAddresses = 20;

    /// <summary>
    /// What a business has until it saves its own choices: nothing enabled (decision 350). Setup → Client Portal's
    /// line under the readiness list says so ("Nobody is emailed when a client books or cancels online: …"), with the switches a link away.
    /// </summary>
    public static NotificationSettings NewBusinessDefaults(Guid tenantId = default) => new() { TenantId = tenantId };

    public Guid TenantId { get; set; }

    public bool NotifyOnNewEnabled { get; set; }

    public Guid? NotifyOnNewTemplateId { get; set; }

    public bool NotifyOnCancelledEnabled { get; set; }

    public Guid? NotifyOnCancelledTemplateId { get; set; }

    public List<string> ExtraAddresses { get; set; } = [];

    public Guid? ExtraAddressesTemplateId { get; set; }

    public bool IncludeStaffChanges { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
