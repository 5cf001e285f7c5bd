using Booking.BuildingBlocks.Problems;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// A client's rolling limit (decision 335): at most <paramref name="Count"/> events of one kind (their own cancellations,
/// decision 322; their moves, decision 326) in the last <paramref name="Window"/>. At the limit the <paramref name="Count"/>th
/// most recent of them says when the client may act again (it leaves the window: <see cref="AgainAt"/>), and the portal
/// refuses with 409 <c>booking-limit</c>, <c>reason</c> <paramref name="Reason"/>, <c>limit</c> the count and the time under
/// <paramref name="AgainAtField"/> (<c>bookAgainAt</c>, <c>moveAgainAt</c>): <see cref="Refusal"/>. The statements that
/// count read that event with <see cref="Since"/> and <see cref="Skip"/> (<c>OFFSET</c>, most recent first) or count the
/// events in the window against <see cref="Count"/>.
/// </summary>
public sealed record RollingLimit(int Count, Duration Window, string Reason, string AgainAtField, string Title)
{
    /// <summary>The window's start: events after it count.</summary>
    public Instant Since(Instant now) => now - Window;

    /// <summary>How many of the most recent events come before the one that decides (the count less one).</summary>
    public int Skip => Count - 1;

    /// <summary>When the client may act again, given the <see cref="Count"/>th most recent event in the window.</summary>
    public Instant AgainAt(Instant countedEvent) => countedEvent + Window;

    /// <summary>The 409 <c>booking-limit</c> with <c>reason</c>, <c>limit</c> and the again-at field, in that order.</summary>
    public ProblemException Refusal(string detail, DateTimeOffset againAt)
    {
        var problem = new ProblemException(ProblemKinds.BookingLimit, 409, Title, detail);
        problem.Extensions["reason"] = Reason;
        problem.Extensions["limit"] = Count;
        problem.Extensions[AgainAtField] = againAt;
        return problem;
    }

    /// <summary>
    /// The limit as a locked statement checks it (<see cref="BookingDesk"/>: a booking's limit statement, a move's client
    /// statement): the refusal in <paramref name="detail"/>'s words, its time written by <paramref name="render"/> (the
    /// business's zone).
    /// </summary>
    public RollingCheck Check(string detail, Func<Instant, DateTimeOffset> render) => new(this, detail, render);
}

/// <summary>A <see cref="RollingLimit"/> with its refusal's words and clock, for a statement that reads the deciding event.</summary>
public sealed record RollingCheck(RollingLimit Limit, string Detail, Func<Instant, DateTimeOffset> Render)
{
    /// <summary>The refusal, given the <see cref="RollingLimit.Count"/>th most recent event the statement found.</summary>
    public ProblemException Refusal(Instant countedEvent) => Limit.Refusal(Detail, Render(Limit.AgainAt(countedEvent)));
}
