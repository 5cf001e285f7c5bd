using Booking.BuildingBlocks.Data;

namespace Booking.Notifications.Domain;

/// <summary>
/// Whether the person at an extra address or a diary's contact email agreed to get a business's booking emails. One row per (business, address),
/// kept when the address leaves the list (so removing and adding it again sends no second email and keeps its answer).
/// Until <see cref="ConfirmedAt"/> is set nothing but the one confirmation email goes to the address; after
/// <see cref="DeclinedAt"/> nothing at all. The link's token is stored only as its SHA-256 hash, and cleared once used.
/// </summary>
public sealed class AddressConfirmation : ITenantOwned
{
    /// <summary>How long a confirmation link works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    /// <summary>Confirmation emails to one address in 24 hours, the one sent on adding it included.</summary>
    public const int MaxSendsPerAddressPerDay = 3;

    /// <summary>Confirmation emails from one business in 24 hours (a business cycling through addresses).</summary>
    public const int MaxSendsPerBusinessPerDay = 50;

    public Guid TenantId { get; set; }

    /// <summary>Trimmed and lower-cased, as the settings keep it.</summary>
    public string Address { get; set; } = "";

    public DateTimeOffset AddedAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? DeclinedAt { get; set; }

    /// <summary>Hex SHA-256 of the link's token; null once used or when none was sent.</summary>
    public string? TokenHash { get; set; }

    public DateTimeOffset? TokenExpiresAt { get; set; }

    public DateTimeOffset? LastSentAt { get; set; }

    /// <summary>
    /// The last confirmation email asked about the address as a diary's contact (its words, and the link's page's,
    /// speak of a diary's bookings and requests); false: as an extra address (each new booking).
    /// </summary>
    public bool ForDiaryContact { get; set; }

    /// <summary>
    /// When the person at the address used the unsubscribe link of one of the business's emails (List-Unsubscribe or the
    /// footer's "Stop these emails"): <see cref="ConfirmedAt"/> is cleared with it, so nothing but a confirmation staff
    /// ask for again goes to the address, and only a yes to that confirmation (which clears this) mails it again.
    /// </summary>
    public DateTimeOffset? UnsubscribedAt { get; set; }

    public bool Confirmed => ConfirmedAt is not null && DeclinedAt is null;
}

/// <summary>An extra address's state as staff read it: confirmed, waiting for confirmation, declined, or unsubscribed.</summary>
public static class AddressStates
{
    public const string Confirmed = Contracts.AddressConfirmationStates.Confirmed;
    public const string Waiting = Contracts.AddressConfirmationStates.Waiting;
    public const string Declined = Contracts.AddressConfirmationStates.Declined;
    public const string Unsubscribed = Contracts.AddressConfirmationStates.Unsubscribed;

    public static string Of(AddressConfirmation? row) =>
        row is null ? Waiting
        : row.DeclinedAt is not null ? Declined
        : row.ConfirmedAt is not null ? Confirmed
        : row.UnsubscribedAt is not null ? Unsubscribed
        : Waiting;
}
