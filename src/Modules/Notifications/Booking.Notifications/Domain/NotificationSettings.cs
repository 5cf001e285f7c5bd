using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// A business's notification choices (seed 000). One row per business; absent = a business that never saved them, which
/// has <see cref="NewBusinessDefaults"/> (decision 352, completing decision 350; "nothing enabled" before it: migration
/// <c>NotificationDefaultsForNewBusinesses</c> wrote that choice down for every business there was then).
/// The diary-contact and extra-address emails fire for portal changes; staff changes only when opted in.
/// </summary>
public sealed class NotificationSettings : ITenantOwned
{
    public const int MaxExtraAddresses = 20;

    /// <summary>
    /// What a new business has until it saves its own choices (decision 352): its diary contacts are emailed, in the
    /// standard text, when a client books or cancels in the portal, so an owner who stops at "Yes, clients can book
    /// online" still hears of them. No extra addresses, staff changes not told (those are choices nobody made yet).
    /// Nothing goes to a contact before its person confirmed it (decision 196), so the default mails nobody unasked.
    /// Read where "no row" is read (<c>KeptSettingsAsync</c>, <c>GetNotificationSettings</c>), never written at sign-up:
    /// such a row would race with a first save and with the first booking.
    /// </summary>
    public static NotificationSettings NewBusinessDefaults(Guid tenantId = default) => new()
    {
        TenantId = tenantId,
        NotifyOnNewEnabled = true,
        NotifyOnCancelledEnabled = true,
    };

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
