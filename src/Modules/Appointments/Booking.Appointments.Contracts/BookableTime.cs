using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// Is there a time a client could book online now? Looks at the offers in order (a service with the diaries that provide
/// it online) for a free start by the availability query's own rule: a start on the slot grid inside the diary's online
/// hours (after dated exceptions), after the minimum notice, within the horizon, with room for the service, held by no
/// appointment (with its buffer) or busy block. It stops at the first one it finds; when there is none it says what
/// comes nearest (<see cref="BookableOutcomes"/>). Services' "Ready to take bookings?" asks it.
/// </summary>
public sealed record FindBookableTime(IReadOnlyList<BookableOffer> Offers) : IQuery<BookableTime>;

/// <summary>A service (by id) and the diaries that provide it online, in the order they are to be named.</summary>
public sealed record BookableOffer(Guid ServiceId, IReadOnlyList<Guid> DiaryIds);

/// <summary>
/// <see cref="Outcome"/> is one of <see cref="BookableOutcomes"/>. <see cref="ServiceId"/> and <see cref="DiaryId"/>
/// name what it is about where it is about one (the free start's, the first taken one's, a diary whose hours are too
/// short); <see cref="Start"/> is the free start (the business's offset) and <see cref="HeldUntil"/> the end of what a
/// booking of it would hold (the service and its buffer after): while that time stays free, so does the start.
/// </summary>
public sealed record BookableTime(string Outcome, Guid? ServiceId = null, Guid? DiaryId = null, DateTimeOffset? Start = null, DateTimeOffset? HeldUntil = null)
{
    public bool Free => Outcome == BookableOutcomes.Free;
}

public static class BookableOutcomes
{
    /// <summary>A free start exists.</summary>
    public const string Free = "free";

    /// <summary>Starts are offered within the horizon, but appointments or busy time hold every one.</summary>
    public const string Taken = "taken";

    /// <summary>Online hours lie between the end of the minimum notice and the horizon, but no start of the service fits them.</summary>
    public const string TooShort = "too-short";

    /// <summary>No online hours between the end of the minimum notice and the end of the horizon's last day.</summary>
    public const string NoHours = "no-hours";

    /// <summary>The minimum notice ends after the horizon's last day.</summary>
    public const string NoticeBeyondHorizon = "notice-beyond-horizon";

    /// <summary>No offer was given (no service with a diary).</summary>
    public const string NoOffer = "no-offer";
}
