using Mediator;

namespace Booking.Notifications.Contracts;

/// <summary>
/// Whether the person at an address agreed to get a business's emails (decision 176): <c>confirmed</c>, <c>waiting</c>
/// (for confirmation; also an address the business never asked about), <c>declined</c> or <c>unsubscribed</c> (its
/// person used the unsubscribe link of one of the business's emails). Only confirmed addresses are sent the business's
/// emails; a waiting one gets only its confirmation email, a declined one nothing, an unsubscribed one only a
/// confirmation staff ask for again (Send again), which its person must accept.
/// </summary>
public static class AddressConfirmationStates
{
    public const string Confirmed = "confirmed";
    public const string Waiting = "waiting";
    public const string Declined = "declined";
    public const string Unsubscribed = "unsubscribed";
}

/// <summary>
/// An address's state for the current business. The address is trimmed and lower-cased, as it is kept.
/// <see cref="UnsubscribedAt"/>: when its person unsubscribed (state <c>unsubscribed</c>); null otherwise.
/// </summary>
public sealed record AddressConfirmationView(string Address, string State, DateTimeOffset? ConfirmationSentAt, DateTimeOffset? UnsubscribedAt = null);

/// <summary>
/// A diary's contact email was set or changed (Roster, after saving it): an address new to the business is kept waiting
/// and sent one confirmation email in our words (within the confirmation limits; past them it waits for Send again).
/// An address the business already has a row for (confirmed, waiting or declined, as an extra address or another
/// diary's contact) is sent nothing more. Answers the address's state now.
/// </summary>
public sealed record ConfirmDiaryContact(string Address) : ICommand<AddressConfirmationView>;

/// <summary>
/// Staff's "Send again" next to a diary contact waiting for confirmation (or unsubscribed: "Ask again"): a fresh link (the earlier one stops working),
/// within the limits shared with the extra addresses (3 to one address and 50 from one business in 24 hours; past
/// them a <c>rate-limited</c> problem). A confirmed or declined address is sent nothing (<see cref="Sent"/> false).
/// </summary>
public sealed record SendDiaryContactConfirmationAgain(string Address) : ICommand<SendAgainOutcome>;

public sealed record SendAgainOutcome(bool Sent, AddressConfirmationView Address);

/// <summary>The states of these addresses in the current business (compared trimmed and lower-cased), in their order.</summary>
public sealed record GetAddressConfirmations(IReadOnlyList<string> Addresses) : IQuery<IReadOnlyList<AddressConfirmationView>>;
