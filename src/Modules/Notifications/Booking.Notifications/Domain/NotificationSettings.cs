using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// A business's notification choices (seed 000). One row per business; absent = nothing enabled.
/// The diary-contact and extra-address emails fire for portal changes; staff changes only when opted in.
/// </summary>
public sealed class NotificationSettings : ITenantOwned
{
    public const int MaxExtraAddresses = 20;

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
