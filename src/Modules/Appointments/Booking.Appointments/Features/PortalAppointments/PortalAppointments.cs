using System.Buffers.Text;
using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Booking.Appointments.Features.ClientMerge;
using Booking.Appointments.Features.Scheduling;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.PortalAppointments;

/// <summary>
/// One of the caller's own appointments. Deliberately nothing about anyone else: no other client's id, name,
/// service or note can reach a client through this shape.
/// </summary>
/// <remarks>
/// Ended (beyond API.md): how it ended, null while it stands: <c>withdrawn</c> (the client withdrew the booking request),
/// <c>declined</c> or <c>request-cancelled</c> (the business declined or cancelled the request: nothing was booked), or
/// <c>cancelled</c> (a booked appointment cancelled). Status keeps API.md's words (a declined request is <c>cancelled</c>).
/// Note (beyond API.md): the note the client left when booking it in the portal, null for none; never the note of an
/// appointment staff booked (staff's note is theirs: <see cref="PortalAccess.ClientsOwnNote"/>).
/// Diary's <c>kind</c> (beyond API.md, decision 280): <c>person</c> or <c>resource</c> (a room or equipment).
/// </remarks>
public sealed record PortalAppointmentView(
    Guid Id, DateTimeOffset Start, DateTimeOffset End, string Status, NamedRef Service, DiaryRef Diary, NamedRef? Pet, bool CanCancel,
    string? Ended, string? Note)
{
    /// <summary>
    /// The cancellation window this appointment is held to (beyond API.md): the business's policy when it was booked
    /// (decision 270), not today's. <c>hours</c> and <c>insideWindow</c> as the business's <c>cancellationPolicy</c>.
    /// </summary>
    public AppointmentCancellationTerms CancellationPolicy { get; init; } = null!;

    /// <summary>What the service cost when booked (beyond API.md); only where the business shows prices, and null for
    /// appointments booked before prices were kept.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AppointmentPrice? Price { get; init; }

    /// <summary>Whether the client may move it to another time now (beyond API.md; decision 282, <c>Moves.PortalMoves.CanMove</c>).</summary>
    public bool CanMove { get; init; }

    /// <summary>
    /// Why <see cref="CanMove"/> is false (beyond API.md; decision 318), null while it is true: <c>access-level-off</c>,
    /// <c>already-happened</c>, <c>status-conflict</c>, <c>policy-window</c> (the move route's refusals), or
    /// <c>service-not-offered</c> (its service is retired, not bookable online, or no active diary provides it online:
    /// the client could not book it, so cannot move it; staff can), or <c>recent-moves</c> (decision 326: the client moved
    /// 5 times in 24 hours; read where the answer reads the client's requests too). <see cref="Moves.PortalMoves.CannotMove"/>.
    /// </summary>
    public string? CannotMoveReason { get; init; }

    /// <summary>
    /// The reason the business gave when it declined the client's request to cancel it (beyond API.md; decision 286), the
    /// one their email carried: while the appointment stands on that decline; null otherwise, and when none was given.
    /// </summary>
    public string? CancellationDeclinedReason { get; init; }

    /// <summary>
    /// The client has taken back as many requests to cancel it as they may (beyond API.md; decision 309,
    /// <see cref="CancellationRequestLimit"/>): inside the window it cannot be asked about online again, and
    /// <see cref="CanCancel"/> is false there; outside it, the client still cancels outright.
    /// </summary>
    public bool CancellationRequestsUsedUp { get; init; }

    /// <summary>
    /// The business has closed on the appointment's day since it was booked (beyond API.md; decision 325): its local date
    /// is one of the business's closed days (decision 289), which cancel nothing, so it still stands and the business may
    /// be in touch. Only for one still to come that stands (confirmed, requested, or with a cancellation request); false
    /// otherwise. The portal's pages say so instead of "Confirmed" alone beside "closed that day".
    /// </summary>
    public bool OnClosedDay { get; init; }
}

/// <summary>The cancellation window an appointment keeps: <c>hours</c> before its start, and <c>refuse</c> or <c>request</c> inside it.</summary>
public sealed record AppointmentCancellationTerms(int Hours, string InsideWindow)
{
    /// <summary>Inside the window at <paramref name="at"/>: less than <see cref="Hours"/> before <paramref name="start"/>.</summary>
    public bool IsInside(DateTimeOffset start, DateTimeOffset at) => start - at < TimeSpan.FromHours(Hours);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool TakesRequests => InsideWindow == "request";

    /// <summary>
    /// The appointment's own terms; a row without them (none since the backfill) has the business's current ones. The
    /// rule is Tenancy.Contracts' <see cref="CancellationPolicyView.Kept"/>, the one the emails and texts judge by.
    /// </summary>
    public static AppointmentCancellationTerms Of(Appointment a, CancellationPolicyView current)
    {
        var kept = current.Kept(a.CancellationHours, a.CancellationInsideWindow);
        return new(kept.Hours, kept.InsideWindow);
    }
}

/// <summary>Money on the wire, as API.md writes it: the amount a string with the currency's decimals.</summary>
public sealed record AppointmentPrice(string Amount, string Currency)
{
    public static AppointmentPrice? Of(Appointment a) =>
        a.PriceAmount is { } amount && a.PriceCurrency is { } currency
            ? new AppointmentPrice(new Booking.BuildingBlocks.Contracts.Money(amount, currency).Format(), currency)
            : null;

    public Booking.BuildingBlocks.Contracts.Money ToMoney() =>
        new(decimal.Parse(Amount, System.Globalization.CultureInfo.InvariantCulture), Currency);
}

public static class PortalAccess
{
    public static ProblemException Off(string what) =>
        new(ProblemKinds.AccessLevelOff, 403, "Not available online", $"This business does not let clients {what} online.");

    /// <summary>
    /// Whether a client may read one appointment of their own by its id (<c>GET …/appointments/{id}</c>, the Booked,
    /// Calendar and Cancel pages): any access level will do. View governs the lists; but booking and cancelling each act
    /// on one appointment and must show it — the booking's answer and its Location, a retried booking's answer, what
    /// is about to be cancelled — and an id reaches a client only with the appointment itself. With every level off
    /// the portal offers nothing about appointments.
    /// </summary>
    public static bool MayReadOne(PortalAccessLevels levels) => levels.View || levels.Book || levels.Cancel;

    public static async Task<PortalSettingsView> RequireAsync(ISender sender, Func<PortalAccessLevels, bool> level, string what, CancellationToken ct)
    {
        var settings = await sender.Send(new GetPortalSettings(), ct);
        return level(settings.AccessLevels) ? settings : throw Off(what);
    }

    /// <summary>Whether the client may act on it now: inside the window only where the business takes cancellation requests.</summary>
    public static bool CanCancel(Appointment a, PortalSettingsView settings, Instant now, bool requestsUsedUp = false)
    {
        if (!settings.AccessLevels.Cancel || a.StartAt <= now)
        {
            return false;
        }

        return a.Status switch
        {
            AppointmentStatus.Requested => true,
            // Staff kept it once on the client's request (CancellationRequestedAt stays): not asked again inside the window.
            AppointmentStatus.Confirmed => !InsideWindow(a, settings, now)
                || (Terms(a, settings).TakesRequests && a.CancellationRequestedAt is null && !requestsUsedUp),
            _ => false,
        };
    }

    /// <summary>
    /// The cancellation window the appointment was booked under (decision 270): a policy changed since applies to later
    /// bookings, not to this one, whichever way it changed.
    /// </summary>
    public static AppointmentCancellationTerms Terms(Appointment a, PortalSettingsView settings) =>
        AppointmentCancellationTerms.Of(a, settings.CancellationPolicy);

    public static bool InsideWindow(Appointment a, PortalSettingsView settings, Instant now) =>
        a.StartAt - now < Duration.FromHours(Terms(a, settings).Hours);

    /// <summary>
    /// The policy's words for a refusal: the business's text while its policy is still the appointment's, else the
    /// appointment's own window in plain words (today's text may name other hours), and what holds after it: contact the
    /// business, how to reach it where it gave a phone or email (decision 325; the old terms still apply, decision 270).
    /// </summary>
    public static string PolicyText(Appointment a, PortalSettingsView settings, string business) =>
        PolicyText(a, settings, business, withContact: true);

    /// <summary>As <see cref="PolicyText(Appointment, PortalSettingsView, string)"/> without what holds after the window (the move's refusal).</summary>
    public static string PolicyText(Appointment a, PortalSettingsView settings) => PolicyText(a, settings, "", withContact: false);

    private static string PolicyText(Appointment a, PortalSettingsView settings, string business, bool withContact)
    {
        var terms = Terms(a, settings);
        var current = settings.CancellationPolicy;
        return terms.Hours == current.Hours && terms.InsideWindow == current.InsideWindow
            ? NoticePeriod.AsWritten(current.Text, current.Hours) // as the Cancel page says it (a blank text said nothing here)
            : !withContact
            ? NoticePeriod.AsBooked(terms.Hours)
            : NoticePeriod.AsBookedWithAfter(terms.Hours, terms.TakesRequests, business, BookPortalAppointmentHandler.Phone(settings.Contact), settings.Contact.Email);
    }


    public static Task<PortalAppointmentView> ViewAsync(Names names, Appointment a, PortalSettingsView settings, Instant now, Schedule schedule, CancellationToken ct) =>
        ViewAsync(names, a, settings, now, schedule, null, ct);

    /// <param name="db">Given, whether the appointment's requests to cancel are used up is read (decision 309), and with it
    /// whether the client is at the moves limit (decision 326): <see cref="LimitsAsync"/>.</param>
    public static async Task<PortalAppointmentView> ViewAsync(Names names, Appointment a, PortalSettingsView settings, Instant now, Schedule schedule, AppointmentsDbContext? db, CancellationToken ct)
    {
        if (names.Services.Count == 0)
        {
            // The client's own name is not in a portal answer; only a pet's is, so the client is read only for that.
            await names.LoadAsync([a.DiaryId], a.PetId is null ? [] : [a.ClientId], ct, [a.PetId]);
        }

        var (usedUp, movesUsedUp) = db is null ? (false, false) : await LimitsAsync(db, a, settings, now, ct);
        return View(names, a, settings, now, schedule, await OfferedOnlineAsync(names.Sender, [a], settings, now, ct), usedUp,
            await ClosedDaysAsync(names.Sender, schedule, [a], now, ct), movesUsedUp);
    }

    /// <summary>
    /// The business's closed days (decision 289) that these appointments' local dates fall on, asked only for those still
    /// to come that stand (<see cref="PortalAppointmentView.OnClosedDay"/>): one read of Roster's closed days over their
    /// dates, served from its in-memory snapshot for dates from today (no statement); none asked when none stands.
    /// </summary>
    public static async Task<IReadOnlySet<DateOnly>> ClosedDaysAsync(ISender sender, Schedule schedule, IEnumerable<Appointment> appointments, Instant now, CancellationToken ct)
    {
        var dates = appointments.Where(a => Stands(a, now)).Select(a => LocalDay(schedule, a)).ToHashSet();
        if (dates.Count == 0)
        {
            return new HashSet<DateOnly>();
        }

        var closed = await sender.Send(new Booking.Roster.Contracts.GetBusinessClosedDays(dates.Min(), dates.Max()), ct);
        return closed.Select(c => c.Date).Where(dates.Contains).ToHashSet();
    }

    private static bool Stands(Appointment a, Instant now) => a.StartAt > now
        && a.Status is AppointmentStatus.Confirmed or AppointmentStatus.Requested or AppointmentStatus.CancellationRequested;

    private static DateOnly LocalDay(Schedule schedule, Appointment a) => a.StartAt.InZone(schedule.Zone).Date.ToDateOnly();

    /// <summary>
    /// What an answer about one appointment reads of the client's limits: whether its requests to cancel are used up
    /// (decision 309; it matters only while it stands, confirmed and to come) and whether the client is at
    /// <see cref="Moves.RecentMovesLimit"/> (decision 326; it matters only when the appointment is otherwise movable,
    /// <see cref="Moves.PortalMoves.CanMove"/>, which it can be only then). One statement or none: the client's moves ride
    /// along with the count of its withdrawn requests (decision 335; a statement of their own before).
    /// </summary>
    public static async Task<(bool RequestsUsedUp, bool MovesUsedUp)> LimitsAsync(AppointmentsDbContext db, Appointment a, PortalSettingsView settings, Instant now, CancellationToken ct)
    {
        if (a.Status != AppointmentStatus.Confirmed || a.StartAt <= now)
        {
            return (false, false);
        }

        if (!Moves.PortalMoves.CanMove(a, settings, now))
        {
            return (await CancellationRequestLimit.UsedUpAsync(db, a.Id, ct), false);
        }

        var moves = Moves.RecentMovesLimit.Recent(db, a.ClientId, now);
        var skip = Moves.RecentMovesLimit.Limit.Skip;
        var read = await db.Appointments.AsNoTracking()
            .Where(x => x.Id == a.Id)
            .Select(x => new
            {
                Withdrawals = db.CancellationRequestWithdrawals.Count(w => w.AppointmentId == x.Id),
                CountedMove = moves.Skip(skip).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return (read is not null && read.Withdrawals >= CancellationRequestLimit.MaxWithdrawals, read?.CountedMove is not null);
    }

    /// <summary>
    /// The services of these appointments a client could book now (decision 318), read only when one of them is otherwise
    /// movable (<see cref="Moves.PortalMoves.CanMove"/>): else nothing is asked and the set is empty.
    /// </summary>
    public static async Task<IReadOnlySet<Guid>> OfferedOnlineAsync(ISender sender, IEnumerable<Appointment> appointments, PortalSettingsView settings, Instant now, CancellationToken ct) =>
        appointments.Any(a => Moves.PortalMoves.CanMove(a, settings, now))
            ? await Moves.PortalMoves.OfferedOnlineAsync(sender, ct)
            : new HashSet<Guid>();

    /// <param name="offeredOnline">The services a client could book now (<see cref="OfferedOnlineAsync"/>): <c>canMove</c> needs its service among them.</param>
    /// <param name="closedDays">The business's closed days among its appointments' dates (<see cref="ClosedDaysAsync"/>): <c>onClosedDay</c>.</param>
    /// <param name="movesUsedUp">The client is at <see cref="Moves.RecentMovesLimit"/> (<see cref="LimitsAsync"/>, or the list's page): <c>canMove</c> is false.</param>
    public static PortalAppointmentView View(Names names, Appointment a, PortalSettingsView settings, Instant now, Schedule schedule, IReadOnlySet<Guid> offeredOnline,
        bool requestsUsedUp = false, IReadOnlySet<DateOnly>? closedDays = null, bool movesUsedUp = false)
    {
        var cannotMove = Moves.PortalMoves.CannotMove(a, settings, now, offeredOnline.Contains(a.ServiceId), movesUsedUp);
        return new(a.Id, schedule.Render(a.StartAt), schedule.Render(a.EndAt), PortalStatus(a.Status), names.Service(a.ServiceId),
            names.DiaryWithKind(a.DiaryId), names.Pet(a.PetId), CanCancel(a, settings, now, requestsUsedUp), a.Ended, ClientsOwnNote(a))
        {
            CancellationRequestsUsedUp = requestsUsedUp,
            CancellationPolicy = Terms(a, settings),
            // The price kept with it, where the business shows clients prices (Setup → Client Portal).
            Price = settings.ShowPrices ? AppointmentPrice.Of(a) : null,
            CanMove = cannotMove is null,
            CannotMoveReason = cannotMove,
            CancellationDeclinedReason = Requests.RequestHistory.DeclineReason(a),
            OnClosedDay = closedDays is not null && Stands(a, now) && closedDays.Contains(LocalDay(schedule, a)),
        };
    }

    /// <summary>
    /// The note a client is shown: the one they wrote booking it in the portal (their confirmation emails echo it as "Your
    /// note"). An appointment staff booked carries staff's note in the same column, which the client never sees.
    /// </summary>
    public static string? ClientsOwnNote(Appointment a) => a.Source == ChangeSources.Portal ? a.Note : null;

    /// <summary>A declined request reads as cancelled to the client (the portal's statuses).</summary>
    public static string PortalStatus(string status) => status == AppointmentStatus.Declined ? AppointmentStatus.Cancelled : status;
}

// ---- list and read

public sealed record ListMyAppointments(Guid ClientId, string? When) : IQuery<ItemsView<PortalAppointmentView>>;

public sealed class ListMyAppointmentsValidator : AbstractValidator<ListMyAppointments>
{
    public ListMyAppointmentsValidator() =>
        RuleFor(x => x.When).Must(w => w is null or "upcoming" or "past").WithMessage("Use `upcoming` or `past`.");
}

/// <summary>The first 200 (kept for callers that want one list, e.g. pages); the API pages with <see cref="ListMyAppointmentsPage"/>.</summary>
public sealed class ListMyAppointmentsHandler(ISender sender) : IQueryHandler<ListMyAppointments, ItemsView<PortalAppointmentView>>
{
    public async ValueTask<ItemsView<PortalAppointmentView>> Handle(ListMyAppointments query, CancellationToken cancellationToken) =>
        new((await sender.Send(new ListMyAppointmentsPage(query.ClientId, query.When, null, AppointmentPages.MaxLimit), cancellationToken)).Items);
}

/// <summary>A page of the caller's appointments; <c>NextCursor</c> (opaque) fetches the next, null on the last page.</summary>
public sealed record PortalAppointmentPage(IReadOnlyList<PortalAppointmentView> Items, string? NextCursor);

/// <summary>Limit: 1–200, default 50. Cursor: a <c>nextCursor</c> from the previous page of the same <c>when</c>.</summary>
public sealed record ListMyAppointmentsPage(Guid ClientId, string? When, string? Cursor, int? Limit) : IQuery<PortalAppointmentPage>;

public sealed class ListMyAppointmentsPageValidator : AbstractValidator<ListMyAppointmentsPage>
{
    public ListMyAppointmentsPageValidator()
    {
        RuleFor(x => x.When).Must(w => w is null or "upcoming" or "past").WithMessage("Use `upcoming` or `past`.");
        RuleFor(x => x.Limit).InclusiveBetween(1, AppointmentPages.MaxLimit).WithMessage($"Use a limit from 1 to {AppointmentPages.MaxLimit}.");
        RuleFor(x => x.Cursor).Must((q, c) => c is null || AppointmentPages.TryRead(c, q.When ?? "upcoming", out _))
            .WithMessage("This cursor is not from this list; start again without one.");
    }
}

/// <summary>
/// Keyset paging on (start, id): stable while appointments are added or cancelled between pages, and each page is
/// one index range however deep the client has scrolled. The cursor names its list so it cannot be replayed on the other.
/// </summary>
public static class AppointmentPages
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string Write(string when, Instant start, Guid id) =>
        Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(
            $"{when}|{start.ToUnixTimeTicks().ToString(System.Globalization.CultureInfo.InvariantCulture)}|{id:N}"));

    public static bool TryRead(string cursor, string when, out (Instant Start, Guid Id) position)
    {
        position = default;
        if (cursor.Length > 200)
        {
            return false;
        }

        try
        {
            var parts = System.Text.Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            if (parts.Length != 3 || parts[0] != when
                || !long.TryParse(parts[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
                || !Guid.TryParseExact(parts[2], "N", out var id))
            {
                return false;
            }

            position = (Instant.FromUnixTimeTicks(ticks), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public sealed class ListMyAppointmentsPageHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, Names names)
    : IQueryHandler<ListMyAppointmentsPage, PortalAppointmentPage>
{
    public async ValueTask<PortalAppointmentPage> Handle(ListMyAppointmentsPage query, CancellationToken cancellationToken)
    {
        var settings = await PortalAccess.RequireAsync(sender, l => l.View, "view appointments", cancellationToken);
        var now = schedule.Now;
        var when = query.When ?? "upcoming";
        var limit = query.Limit ?? AppointmentPages.DefaultLimit;
        (Instant Start, Guid Id)? after = query.Cursor is { } cursor && AppointmentPages.TryRead(cursor, when, out var p) ? p : null;
        var mine = Mine(db, query.ClientId);
        IQueryable<Appointment> page;
        if (when == "past")
        {
            page = mine.Where(a => a.StartAt < now || a.Status == AppointmentStatus.Cancelled || a.Status == AppointmentStatus.Declined);
            if (after is { } last)
            {
                var (start, id) = last;
                page = page.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.StartAt, a.Id), ValueTuple.Create(start, id)));
            }

            page = page.OrderByDescending(a => a.StartAt).ThenByDescending(a => a.Id);
        }
        else
        {
            page = Upcoming(mine, now);
            if (after is { } last)
            {
                var (start, id) = last;
                page = page.Where(a => EF.Functions.GreaterThan(ValueTuple.Create(a.StartAt, a.Id), ValueTuple.Create(start, id)));
            }

            page = page.OrderBy(a => a.StartAt).ThenBy(a => a.Id);
        }

        // The client's moves limit (decision 326) rides along with the page (decision 335; a statement of its own before):
        // the move that puts the client at it, null while they may move, the same on every row (an uncorrelated subquery,
        // which PostgreSQL runs once). It matters only to an appointment otherwise movable (canMove).
        var moves = Moves.RecentMovesLimit.Recent(db, query.ClientId, now);
        var skip = Moves.RecentMovesLimit.Limit.Skip;
        var rows = await page.Select(a => new { Appointment = a, CountedMove = moves.Skip(skip).FirstOrDefault() }).Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.ConvertAll(r => r.Appointment);
        var movesUsedUp = rows.Exists(r => r.CountedMove is not null);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = AppointmentPages.Write(when, items[^1].StartAt, items[^1].Id);
        }

        await names.LoadAsync(items.Select(a => a.DiaryId).ToList(), [query.ClientId], cancellationToken, items.Select(a => a.PetId));
        var usedUp = await CancellationRequestLimit.UsedUpAsync(db, items.Where(a => a.Status == AppointmentStatus.Confirmed && a.StartAt > now).Select(a => a.Id).ToList(), cancellationToken);
        var offered = await PortalAccess.OfferedOnlineAsync(sender, items, settings, now, cancellationToken);
        var closedDays = await PortalAccess.ClosedDaysAsync(sender, schedule, items, now, cancellationToken);
        return new PortalAppointmentPage(items.Select(a => PortalAccess.View(names, a, settings, now, schedule, offered, usedUp.Contains(a.Id), closedDays, movesUsedUp)).ToList(), next);
    }

    /// <summary>The client's appointments that the lists may show.</summary>
    internal static IQueryable<Appointment> Mine(AppointmentsDbContext db, Guid clientId)
    {
        // A row no calendar can show (saved before staff times were bounded) is left out: the pages cannot write its date.
        var (min, max) = Schedule.Renderable;
        return db.Appointments.AsNoTracking().Where(a => a.ClientId == clientId && a.StartAt >= min && a.EndAt <= max);
    }

    /// <summary>The "upcoming" list: not yet started, neither cancelled nor declined.</summary>
    internal static IQueryable<Appointment> Upcoming(IQueryable<Appointment> mine, Instant now) =>
        mine.Where(a => a.StartAt >= now && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.Declined);
}

/// <summary>
/// How many of the client's booking requests wait for the business: the upcoming list's <c>requested</c> ones, counted
/// without reading them (the landing page's "Your request is waiting for …"). Under the view level, as the list.
/// </summary>
public sealed record CountMyWaitingRequests(Guid ClientId) : IQuery<int>;

public sealed class CountMyWaitingRequestsHandler(AppointmentsDbContext db, ISender sender, Schedule schedule)
    : IQueryHandler<CountMyWaitingRequests, int>
{
    public async ValueTask<int> Handle(CountMyWaitingRequests query, CancellationToken cancellationToken)
    {
        await PortalAccess.RequireAsync(sender, l => l.View, "view appointments", cancellationToken);
        return await ListMyAppointmentsPageHandler.Upcoming(ListMyAppointmentsPageHandler.Mine(db, query.ClientId), schedule.Now)
            .CountAsync(a => a.Status == AppointmentStatus.Requested, cancellationToken);
    }
}

/// <summary>
/// Would a booking of the client's be refused for the booking limit now? The portal's landing and booking pages say so
/// before the client chooses a time, in the refusal's own words (<see cref="BookPortalAppointmentHandler.Limit"/>, the
/// rule the booking checks again under its lock). <paramref name="Pending"/>: the client is not approved yet (their
/// bookings are requests), as the page read it; <paramref name="Pets"/>: how many pets the client has on file, as the page
/// read them (a household asks once per pet: <see cref="BookPortalAppointmentHandler.WaitingLimit"/>). Under the book level. One statement counts the client's upcoming
/// appointments, their waiting requests and their recent cancellations (decision 322's churn limit);
/// <c>Waiting</c> is the waiting requests (the landing page's "Your request is waiting").
/// </summary>
public sealed record GetMyBookingLimit(Guid ClientId, bool Pending, int Pets = 0) : IQuery<MyBookingLimit>;

/// <summary><c>Refusal</c>: the booking-limit problem's detail while the limit is reached, else null.</summary>
public sealed record MyBookingLimit(int Waiting, string? Refusal);

public sealed class GetMyBookingLimitHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, ITenantContext tenant)
    : IQueryHandler<GetMyBookingLimit, MyBookingLimit>
{
    public async ValueTask<MyBookingLimit> Handle(GetMyBookingLimit query, CancellationToken cancellationToken)
    {
        var settings = await PortalAccess.RequireAsync(sender, l => l.Book, "book", cancellationToken);
        var now = schedule.Now;
        var since = RecentCancellationsLimit.Limit.Since(now);
        // One statement (decision 335; two before): what the limit statement counts, requested, confirmed and
        // cancellation-requested appointments starting after now, and the client's own cancellations in the churn
        // limit's window (decision 322), which the booking reads as the 5th most recent: at the limit when there are 5.
        var counts = await db.Appointments.AsNoTracking()
            .Where(a => a.ClientId == query.ClientId
                && ((a.StartAt > now
                        && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.CancellationRequested))
                    || (a.CancelledBy == "client" && a.CancelledAt > since)))
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Held = g.Count(a => a.StartAt > now
                    && (a.Status == AppointmentStatus.Requested || a.Status == AppointmentStatus.Confirmed || a.Status == AppointmentStatus.CancellationRequested)),
                Waiting = g.Count(a => a.StartAt > now && a.Status == AppointmentStatus.Requested),
                Cancelled = g.Count(a => a.CancelledBy == "client" && a.CancelledAt > since),
            })
            .SingleOrDefaultAsync(cancellationToken); // one group or none (First would have EF warn of no order)
        var (held, waiting) = (counts?.Held ?? 0, counts?.Waiting ?? 0);
        var refusal = BookPortalAppointmentHandler.Limit(tenant.Current!.Name, settings, query.Pending, query.Pets).Reached(held, waiting)?.Message;
        if (refusal is null && counts?.Cancelled >= RecentCancellationsLimit.Limit.Count)
        {
            refusal = RecentCancellationsLimit.Words(tenant.Current!.Name, settings); // churned too much lately (decision 322)
        }

        return new MyBookingLimit(waiting, refusal);
    }
}

/// <summary>One of the client's own appointments; readable under any access level (<see cref="PortalAccess.MayReadOne"/>).</summary>
public sealed record GetMyAppointment(Guid ClientId, Guid Id) : IQuery<PortalAppointmentView>;

public sealed class GetMyAppointmentHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, Names names)
    : IQueryHandler<GetMyAppointment, PortalAppointmentView>
{
    public async ValueTask<PortalAppointmentView> Handle(GetMyAppointment query, CancellationToken cancellationToken)
    {
        var settings = await PortalAccess.RequireAsync(sender, PortalAccess.MayReadOne, "view appointments", cancellationToken);
        var a = await db.Appointments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.Id && x.ClientId == query.ClientId, cancellationToken)
            ?? throw ProblemException.NotFound();
        return await PortalAccess.ViewAsync(names, a, settings, schedule.Now, schedule, db, cancellationToken);
    }
}

// ---- book

/// <summary>The client's own appointment a refused booking overlaps (<c>own-appointment-overlap</c>'s <c>appointment</c>),
/// with its pet (null when it is for no pet).</summary>
public sealed record OwnAppointmentRef(Guid Id, NamedRef Service, DateTimeOffset Start, DateTimeOffset End, NamedRef? Pet);

/// <summary>
/// The body of a portal booking; DiaryId an id or "any". ExpectedPrice (optional, beyond API.md): the price the client
/// was shown; when the service costs another now, nothing is booked (409 <c>changed-meanwhile</c>, <c>reason</c>
/// <c>price-changed</c>, decision 270).
/// </summary>
public sealed record PortalBookingBody(Guid? ServiceId, string? DiaryId, DateTimeOffset? Start, Guid? PetId, int? AcceptedTermsVersion, string? Note,
    PriceInput? ExpectedPrice = null);

/// <summary>A price as a client sends it back: <c>{ "amount": "45.00", "currency": "AUD" }</c>.</summary>
public sealed record PriceInput(string? Amount, string? Currency)
{
    /// <summary>Digits with an optional decimal point (the answers' form); nothing else.</summary>
    public static bool IsAmount(string? amount) =>
        amount is { Length: > 0 and <= 20 } && amount.All(c => char.IsAsciiDigit(c) || c == '.') && amount.Count(c => c == '.') <= 1
        && char.IsAsciiDigit(amount[0]) && char.IsAsciiDigit(amount[^1]);

    public static bool IsCurrency(string? currency) => currency is { Length: 3 } && currency.All(char.IsAsciiLetter);

    public Booking.BuildingBlocks.Contracts.Money ToMoney() =>
        new(decimal.Parse(Amount!, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture), Currency!.ToUpperInvariant());
}

public sealed record BookPortalAppointment(Guid ClientId, PortalBookingBody Body) : ICommand<PortalAppointmentView>;

public sealed class BookPortalAppointmentValidator : AbstractValidator<BookPortalAppointment>
{
    public BookPortalAppointmentValidator()
    {
        RuleFor(x => x.Body.ServiceId).NotNull().OverridePropertyName("serviceId").WithMessage("Choose a service.");
        RuleFor(x => x.Body.DiaryId).Must(DiaryChoice.IsValid).OverridePropertyName("diaryId").WithMessage("Give a diary id or `any`.");
        RuleFor(x => x.Body.Start).NotNull().OverridePropertyName("start").WithMessage("Give the start (ISO 8601 with offset).");
        RuleFor(x => x.Body.Start).Must(Booking.BuildingBlocks.Time.WholeMinute.Allows).OverridePropertyName("start")
            .WithMessage(Booking.BuildingBlocks.Time.WholeMinute.StartMessage);
        RuleFor(x => x.Body.Note).MaximumLength(2000).OverridePropertyName("note").WithMessage("Use at most 2000 characters.").MultiLine();
        RuleFor(x => x.Body.ExpectedPrice!.Amount).Must(PriceInput.IsAmount).When(x => x.Body.ExpectedPrice is not null)
            .OverridePropertyName("expectedPrice.amount").WithMessage("Give the amount as digits with a decimal point, such as \"45.00\".");
        RuleFor(x => x.Body.ExpectedPrice!.Currency).Must(PriceInput.IsCurrency).When(x => x.Body.ExpectedPrice is not null)
            .OverridePropertyName("expectedPrice.currency").WithMessage("Give the currency's three-letter code, such as \"AUD\".");
    }
}

public static class DiaryChoice
{
    /// <summary>Omitted means anyone; "any" in any case; an empty or blank id is refused, not read as "any".</summary>
    public static bool IsValid(string? value) => value is null || IsAnyOrId(value);

    /// <summary>"any" in any case, or a diary's id: what booking, availability and the confirm page's link all take.</summary>
    public static bool IsAnyOrId(string value) => IsAny(value) || Guid.TryParse(value, out _);

    public static bool IsAny(string? value) => string.Equals(value, "any", StringComparison.OrdinalIgnoreCase);

    public static Guid? Parse(string? value) => Guid.TryParse(value, out var id) ? id : null;
}

public sealed class BookPortalAppointmentHandler(ISender sender, BookingDesk desk, BookingGate gate, Schedule schedule, Names names, ITenantContext tenant)
    : ICommandHandler<BookPortalAppointment, PortalAppointmentView>
{
    public async ValueTask<PortalAppointmentView> Handle(BookPortalAppointment command, CancellationToken cancellationToken)
    {
        using var turn = await gate.EnterAsync(cancellationToken);
        var body = command.Body;
        var settings = await PortalAccess.RequireAsync(sender, l => l.Book, "book", cancellationToken);
        if (settings.Terms is { } terms && body.AcceptedTermsVersion != terms.Version)
        {
            throw ProblemException.Invalid("acceptedTermsVersion", $"Accept the current Terms & Conditions (version {terms.Version}).");
        }

        var client = (await sender.Send(new GetClients([command.ClientId]), cancellationToken)).FirstOrDefault()
            ?? throw ProblemException.Unauthenticated();
        if (settings.BooksForPets && body.PetId is null)
        {
            // The business books for pets: an appointment is for one of the client's pets (the page adds a new one first).
            // A client with none has nothing to choose: told to add one (decision 323).
            throw ProblemException.Invalid("petId", client.Pets.Count == 0
                ? "Add your pet first: each appointment here is for one of your pets."
                : "Choose who the appointment is for.");
        }

        if (body.PetId is { } petId && client.Pets.All(p => p.Id != petId))
        {
            throw ProblemException.Invalid("petId", "Choose one of your pets.");
        }

        names.Know(client);

        // A client the business has not approved yet asks; everyone else books.
        var status = client.Status == "pending-approval" ? AppointmentStatus.Requested : AppointmentStatus.Confirmed;
        // How much of the business's time one client may hold from here, and whether they booked and cancelled too often
        // lately (decision 322): both counted by the limit's statement under the client's lock when the booking is saved
        // (decision 329; the churn was a read of its own before it).
        var limit = Limit(tenant.Current!.Name, settings, status == AppointmentStatus.Requested, client.Pets.Count) with
        {
            Churn = RecentCancellationsLimit.Check(tenant.Current!.Name, settings, schedule.Render),
        };
        Appointment appointment;
        try
        {
            (appointment, _) = await desk.BookAsync(
                new BookingOrder(client.Id, body.PetId, body.ServiceId!.Value, DiaryChoice.Parse(body.DiaryId), Instant.FromDateTimeOffset(body.Start!.Value),
                    Online: true, status, ChangeSources.Portal, settings.Terms?.Version, body.Note, limit, client.AwaitingFirstRequest,
                    // A business that hides its prices gives none away through a wrong guess's 409 (decision 273): the client was shown none.
                    ExpectedPrice: settings.ShowPrices ? body.ExpectedPrice?.ToMoney() : null, Policy: settings.CancellationPolicy,
                    // The pet as the client's read found it: a service for other animals refuses it (decision 358).
                    Pet: body.PetId is { } forPet ? client.Pets.FirstOrDefault(p => p.Id == forPet) : null),
                cancellationToken);
        }
        catch (PriceChangedProblem changed)
        {
            throw await PriceChangedNamedAsync(body.ServiceId!.Value, body.ExpectedPrice!.ToMoney(), changed.Price, cancellationToken);
        }
        catch (ClientMergedProblem)
        {
            // Staff merged this client into another record while the booking was made (decision 299): the merge ended
            // this client's sessions, so the answer is the one the session's next request gets. Nothing was booked.
            throw ProblemException.Unauthenticated("Your sign-in ended while you were booking, so nothing was booked. Sign in again to book.");
        }
        catch (OwnOverlapProblem overlap) when (overlap.Clash is { } clash)
        {
            throw await OwnOverlapNamedAsync(clash, settings, cancellationToken);
        }
        catch (ProblemException problem) when (problem.Kind == ProblemKinds.SlotUnavailable)
        {
            // Not one time is offered (a saved link, another front end that did not look): the same kind, in the words of
            // the portal's note, with the reason (GET /api/v1/portal/business's notTakingBookingsReason).
            if (await sender.Send(new GetOnlineBookability(), cancellationToken) is { Bookable: false } bookability)
            {
                throw NotTakingBookings(tenant.Current!.Name, bookability.Reason!, Contactable(settings.Contact, tenant.Current!.Address));
            }

            throw;
        }

        return await PortalAccess.ViewAsync(names, appointment, settings, schedule.Now, schedule, cancellationToken);
    }

    /// <summary>
    /// 409 <c>own-appointment-overlap</c> naming the client's own appointment at that time (it is theirs, so nothing of
    /// another client's is told): "You already have Nail trim for Rex on Tuesday 8 December 2026, 10:00–10:45 AM. …" (the
    /// pet named where the appointment is for one), the times
    /// on the business's clock and in its date order (<see cref="TimeFormat.Span"/>, as the portal pages write them), and
    /// <c>appointment</c> (<c>id</c>, <c>service</c>, <c>start</c>, <c>end</c>, <c>pet</c>) for a front end to link to it. The
    /// service's name comes from the cached catalogue: no round trip.
    /// </summary>
    private async Task<ProblemException> OwnOverlapNamedAsync(OwnClash clash, PortalSettingsView settings, CancellationToken ct)
    {
        var business = tenant.Current!;
        var service = (await sender.Send(new GetService(clash.ServiceId), ct))?.Name;
        var when = TimeFormat.For(business.CountryCode, settings.TimeFormat)
            .Span(clash.Start.InZone(schedule.Zone), clash.End.InZone(schedule.Zone), DateStyle.ForCountry(business.CountryCode));
        // The client's pets are known from the booking's own read (a removed pet costs one more read, named as before).
        if (clash.PetId is { } petId && !names.Pets.ContainsKey(petId))
        {
            await names.LoadAsync([], [], ct, [petId]);
        }

        var pet = names.Pet(clash.PetId);
        var forPet = string.IsNullOrWhiteSpace(pet?.Name) ? "" : $" for {pet.Name}";
        var problem = new ProblemException(ProblemKinds.OwnAppointmentOverlap, 409, "You already have an appointment at this time",
            $"You already have {(string.IsNullOrWhiteSpace(service) ? "an appointment" : service)}{forPet} on {when}. Choose another time, or see your appointments.");
        problem.Extensions["appointment"] = new OwnAppointmentRef(clash.Id, new NamedRef(clash.ServiceId, service ?? ""), schedule.Render(clash.Start), schedule.Render(clash.End), pet);
        return problem;
    }

    /// <summary>
    /// 409 <c>changed-meanwhile</c>, <c>reason</c> <c>price-changed</c>: the service's price is not the one the client was
    /// shown; "The price of Consultation is now $65.00 (you were shown $60.00). Nothing was booked: …", with <c>price</c>
    /// (the price now) for the page's "Book at $65.00". The name from the cached catalogue, so no round trip.
    /// </summary>
    private async Task<ProblemException> PriceChangedNamedAsync(Guid serviceId, Booking.BuildingBlocks.Contracts.Money shown,
        Booking.BuildingBlocks.Contracts.Money now, CancellationToken ct)
    {
        var country = tenant.Current!.CountryCode;
        var service = (await sender.Send(new GetService(serviceId), ct))?.Name;
        return new PriceChangedProblem(now,
            $"The price of {(string.IsNullOrWhiteSpace(service) ? "this service" : service)} is now {now.Display(country)} "
            + $"(you were shown {shown.Display(country)}). Nothing was booked: book again at the new price if you still want it.");
    }

    /// <summary>
    /// The portal's one booking limit for a client (<paramref name="pending"/>: not approved yet, so their bookings are
    /// requests; <paramref name="pets"/>: how many pets they have on file): checked under the booking's lock here, and
    /// beforehand by <see cref="GetMyBookingLimit"/> for the pages.
    /// </summary>
    public static BookingLimit Limit(string business, PortalSettingsView settings, bool pending, int pets = 0)
    {
        var waiting = WaitingLimit(settings.BooksForPets ? pets : 0);
        return new(
            settings.MaxUpcomingBookingsPerClient,
            pending ? waiting : null,
            (requests, held) => LimitReached(business, settings.Contact, requests, requests ? waiting : settings.MaxUpcomingBookingsPerClient, held));
    }

    /// <summary>
    /// How many requests a client not approved yet may have waiting: <see cref="PortalBookingLimits.WaitingRequests"/>, or
    /// one per pet on file where they have more (a household of three pets asks for all three; decision 310), at most
    /// <see cref="PortalBookingLimits.WaitingRequestsForPets"/>: pets are the client's own to add, so junk pets must not lift
    /// the guard (diff review). The upcoming limit still caps it.
    /// </summary>
    public static int WaitingLimit(int pets) => Math.Clamp(pets, PortalBookingLimits.WaitingRequests, PortalBookingLimits.WaitingRequestsForPets);

    public const string UpcomingAppointmentsReason = "upcoming-appointments";

    public const string WaitingRequestsReason = "waiting-requests";

    /// <summary>
    /// 409 <c>booking-limit</c>: the client holds as many upcoming appointments as the business lets one client book
    /// online (<c>reason</c> <c>upcoming-appointments</c>), or, not approved yet, as many waiting requests
    /// (<c>waiting-requests</c>); <c>limit</c> is the number, <c>held</c> how many upcoming appointments the client
    /// holds (more than the limit when the business lowered it). The detail says what to do, with the business's contact.
    /// </summary>
    public static ProblemException LimitReached(string business, BusinessContactView contact, bool requests, int limit, int held)
    {
        var reach = Reach(contact);
        var detail = requests
            ? $"You already have {limit} booking {(limit == 1 ? "request" : "requests")} waiting for {business} to answer. "
              + $"You can send another once they have answered, or withdraw one. To book sooner, contact {business}{reach}."
            : $"You already have {held} upcoming {(held == 1 ? "appointment" : "appointments")} with {business}, "
              + $"which allows {limit} at a time online. To book another, cancel one first, or contact {business}{reach}.";
        var problem = new ProblemException(ProblemKinds.BookingLimit, 409, "Booking limit reached", detail);
        problem.Extensions["reason"] = requests ? WaitingRequestsReason : UpcomingAppointmentsReason;
        problem.Extensions["limit"] = limit;
        problem.Extensions["held"] = held;
        return problem;
    }

    /// <summary>
    /// " on (phone) or at (email)": how to reach the business, to follow "contact X"; empty when it gave neither (so the
    /// sentence says "contact X." and promises no way that does not exist). <see cref="NoticePeriod.Reach"/>'s words, the
    /// one source the emails and the Cancel page use too, with the phone as the pages write it (<see cref="Phone"/>).
    /// </summary>
    public static string Reach(BusinessContactView contact) => NoticePeriod.Reach(Phone(contact), contact.Email);

    /// <summary>
    /// The business gave something to contact it by: a phone or an email (Setup → Client Portal) or a postal address
    /// (Business details), what the portal shows under "contact them". Read from the portal settings and the tenant the
    /// handler has already (cached reference data): no round trip.
    /// </summary>
    public static bool Contactable(BusinessContactView contact, string? address) => !contact.IsEmpty || !string.IsNullOrWhiteSpace(address);

    /// <summary>
    /// Said instead of sending the client to contact a business that gave nothing to contact it by (s42 review #6): the
    /// portal's own words for it (the Host's <c>NotTakingBookingsWords.NoContact</c> is this).
    /// </summary>
    public static string NoContact(string business) =>
        $"{business} hasn't given a phone number or email address here, so please check this page again later.";

    /// <summary>
    /// The same fact where the client's own appointment cannot be changed online (nothing to check again later for): "Harbour
    /// Physio hasn't given a phone number or email address here."
    /// </summary>
    public static string NoContactGiven(string business) => $"{business} hasn't given a phone number or email address here.";

    /// <summary>The business's phone as the pages write it (its national form where known), else as stored; null for none.</summary>
    public static string? Phone(BusinessContactView contact) => contact.PhoneDisplay ?? contact.Phone;

    /// <summary>
    /// <c>slot-unavailable</c> (API.md's kind for a start that is not offered) while the business offers no time at all:
    /// the detail says so as the portal's pages do, and <c>reason</c> is <c>nothing-bookable</c> or <c>fully-booked</c>.
    /// </summary>
    /// <remarks>
    /// "To book an appointment, please contact them." only where the business gave a phone, email or address
    /// (<see cref="Contactable"/>); without one, <see cref="NoContact"/>, as the portal's note says it (decision 359).
    /// </remarks>
    public static ProblemException NotTakingBookings(string business, string reason, bool contactable)
    {
        var said = reason == NotBookableReasons.FullyBooked
            ? $"{business} has no free times to book online at the moment."
            : $"{business} isn't taking online bookings at the moment.";
        var problem = SchedulingProblems.SlotUnavailable($"{said} {(contactable ? "To book an appointment, please contact them." : NoContact(business))}");
        problem.Extensions["reason"] = reason;
        return problem;
    }
}

// ---- cancel

public sealed record CancelBody(string? Reason);

public sealed record CancelMyAppointment(Guid ClientId, Guid Id, string? Reason) : ICommand<CancelOutcome>;

/// <summary>Status 200 (cancelled) or 202 (a cancellation request filed for staff).</summary>
/// <summary>Withdrew: this call cancelled a booking request still waiting (as found under the save, not as the caller last saw it).</summary>
public sealed record CancelOutcome(int Status, PortalAppointmentView Appointment, bool Withdrew = false);

public sealed class CancelMyAppointmentValidator : AbstractValidator<CancelMyAppointment>
{
    public CancelMyAppointmentValidator() =>
        RuleFor(x => x.Reason).MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
}

public sealed class CancelMyAppointmentHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, Names names, ITenantContext tenant)
    : ICommandHandler<CancelMyAppointment, CancelOutcome>
{
    public async ValueTask<CancelOutcome> Handle(CancelMyAppointment command, CancellationToken cancellationToken)
    {
        var settings = await PortalAccess.RequireAsync(sender, l => l.Cancel, "cancel", cancellationToken);
        return await db.RetryOnConcurrentChangeAsync(() => CancelAsync(command, settings, cancellationToken));
    }

    private async Task<CancelOutcome> CancelAsync(CancelMyAppointment command, PortalSettingsView settings, CancellationToken cancellationToken)
    {
        // One transaction under the client's booking lock (decision 342), begun lazily (its BEGIN rides with the read), the
        // save without a savepoint (a failed one rolls the whole back): round trips as before (read, save, commit).
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var a = (await db.Appointments.FromSqlInterpolated(
                        $"SELECT * FROM appointments.appointments WHERE tenant_id = {db.TenantId} AND id = {command.Id} AND client_id = {command.ClientId} FOR UPDATE; SELECT pg_advisory_xact_lock(hashtextextended({BookingDesk.ClientLockKey(command.ClientId)}, 0))")
                    // Two statements cannot be composed with the tenant filter; the text names the tenant itself (and
                    // row-level security holds it), so only that filter is dropped.
                    .IgnoreQueryFilters([TenantFilters.Tenant]).ToListAsync(cancellationToken)).FirstOrDefault()
                ?? throw await MergedAwayClients.NotYoursAsync(db, command.ClientId, cancellationToken); // merged away meanwhile: 401
            var (status, withdrew, now) = await DecideAsync(a, command, settings, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new CancelOutcome(status, await PortalAccess.ViewAsync(names, a, settings, now, schedule, db, cancellationToken), withdrew);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = true;
        }
    }

    /// <summary>
    /// What the client's cancel does to <paramref name="a"/> (read under its row lock and the client's booking lock, so
    /// its time is stamped after any booking of the client's that counted before it): the answer's status, and whether
    /// it withdrew a waiting request, and the time it stamped. Throws the refusals.
    /// </summary>
    private async Task<(int Status, bool Withdrew, Instant Now)> DecideAsync(Appointment a, CancelMyAppointment command, PortalSettingsView settings, CancellationToken cancellationToken)
    {
        var now = schedule.Now;
        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        var status = 200;
        var withdrew = false;
        switch (a.Status)
        {
            case AppointmentStatus.Cancelled or AppointmentStatus.Declined:
                break; // already done: the same answer again
            case AppointmentStatus.CancellationRequested:
                status = 202;
                break;
            case AppointmentStatus.Requested when a.StartAt > now:
                Cancel(a, now, reason);
                withdrew = true;
                break;
            case AppointmentStatus.Confirmed when a.StartAt > now && !PortalAccess.InsideWindow(a, settings, now):
                Cancel(a, now, reason);
                break;
            case AppointmentStatus.Confirmed when a.StartAt > now && a.CancellationRequestedAt is not null && PortalAccess.Terms(a, settings).TakesRequests:
                throw KeptRefusal(tenant.Current!.Name, settings);
            case AppointmentStatus.Confirmed when a.StartAt > now && PortalAccess.Terms(a, settings).TakesRequests:
                if (await CancellationRequestLimit.UsedUpAsync(db, a.Id, cancellationToken))
                {
                    throw CancellationRequestLimit.Refusal(tenant.Current!.Name, settings); // asked and taken back too often (decision 309)
                }

                a.Status = AppointmentStatus.CancellationRequested;
                a.CancelReason = reason;
                a.CancellationRequestedAt = now;
                a.CancellationWithdrawnAt = null;
                a.UpdatedAt = now;
                var requested = AppointmentEvents.CancellationRequested(a, db, reason);
                a.CancellationRequestEventId = requested.EventId; // the withdrawal names it
                db.Publish(requested);
                status = 202;
                break;
            case not null when a.StartAt <= now || AppointmentStatus.Outcomes.Contains(a.Status):
                throw AlreadyHappened(a, now, tenant.Current!.Name, settings);
            default:
                var policyText = PortalAccess.PolicyText(a, settings, tenant.Current!.Name);
                var refused = new ProblemException(ProblemKinds.PolicyWindow, 409, "Too late to cancel online", policyText);
                refused.Extensions["policyText"] = policyText;
                throw refused;
        }

        return (status, withdrew, now);
    }

    /// <summary>
    /// 409 <c>already-happened</c>: the appointment has started, taken place or has its outcome recorded; nothing the
    /// cancellation policy says applies to it any more.
    /// </summary>
    public static ProblemException AlreadyHappened(Appointment a, Instant now, string business, PortalSettingsView settings) =>
        new(ProblemKinds.AlreadyHappened, 409, "This appointment has already happened",
            (a.Status == AppointmentStatus.NoShow
                ? "The business recorded this appointment as missed, so it cannot be cancelled."
                : a.EndAt <= now || AppointmentStatus.Outcomes.Contains(a.Status)
                ? "This appointment has already taken place, so it cannot be cancelled."
                : "This appointment has already started, so it cannot be cancelled.")
            + $" If something is not right about it, contact {business}{BookPortalAppointmentHandler.Reach(settings.Contact)}.");

    /// <summary>
    /// 409 <c>cancellation-declined</c>: inside the window, staff already kept the appointment on the client's earlier
    /// request; the client is not let file the same request again (each would email every owner and admin).
    /// </summary>
    public static ProblemException KeptRefusal(string business, PortalSettingsView settings) =>
        new(ProblemKinds.CancellationDeclined, 409, "The business kept this appointment",
            $"You asked to cancel this appointment and {business} decided to keep it. "
            + $"To cancel it now, please contact {business}{BookPortalAppointmentHandler.Reach(settings.Contact)}.");

    private void Cancel(Appointment a, Instant now, string? reason)
    {
        var previous = a.Status;
        a.End(AppointmentEndings.OfCancel(previous, "client"), "client", reason, now);
        db.Publish(AppointmentEvents.Cancelled(a, db, ChangeSources.Portal, reason, previous));
    }
}

// ---- keep (withdraw a cancellation request)

/// <summary>
/// The client withdraws their cancellation request while the business has not decided it ("Keep my appointment"): the
/// appointment is confirmed again, as it was, and the staff its request was emailed to hear it is withdrawn
/// (<c>CancellationRequestWithdrawn</c>). Repeat-safe: an appointment already confirmed with no decided request answers
/// the same, and nothing more is sent. Refused (409 <c>no-open-cancellation-request</c>) once staff decided the request, or when there
/// was none to withdraw.
/// </summary>
public sealed record KeepMyAppointment(Guid ClientId, Guid Id) : ICommand<PortalAppointmentView>;

public sealed class KeepMyAppointmentHandler(AppointmentsDbContext db, ISender sender, Schedule schedule, Names names, ITenantContext tenant)
    : ICommandHandler<KeepMyAppointment, PortalAppointmentView>
{
    public async ValueTask<PortalAppointmentView> Handle(KeepMyAppointment command, CancellationToken cancellationToken)
    {
        var settings = await PortalAccess.RequireAsync(sender, l => l.Cancel, "cancel", cancellationToken);
        return await db.RetryOnConcurrentChangeAsync(() => KeepAsync(command, settings, cancellationToken));
    }

    private async Task<PortalAppointmentView> KeepAsync(KeepMyAppointment command, PortalSettingsView settings, CancellationToken cancellationToken)
    {
        var a = await db.Appointments.FirstOrDefaultAsync(x => x.Id == command.Id && x.ClientId == command.ClientId, cancellationToken)
            ?? throw await MergedAwayClients.NotYoursAsync(db, command.ClientId, cancellationToken); // merged away meanwhile: 401
        var now = schedule.Now;
        switch (a.Status)
        {
            case AppointmentStatus.CancellationRequested:
                // As before the request: confirmed, no reason, and free to ask again (only a decided request stays on record).
                // When it was withdrawn is kept for staff (a decision on it names it), and the staff who were emailed the
                // request are told (CancellationRequestWithdrawn names the request's event).
                // The request stays on record with when it was filed: the month report counts every one (decision 295).
                if (a.CancellationRequestedAt is { } filedAt)
                {
                    db.CancellationRequestWithdrawals.Add(new CancellationRequestWithdrawal
                    {
                        Id = Guid.CreateVersion7(), AppointmentId = a.Id, RequestedAt = filedAt, WithdrawnAt = now,
                    });
                }

                a.Status = AppointmentStatus.Confirmed;
                a.CancelReason = null;
                a.CancellationRequestedAt = null;
                a.CancellationWithdrawnAt = now;
                a.UpdatedAt = now;
                db.Publish(AppointmentEvents.CancellationWithdrawn(a, db, a.CancellationRequestEventId));
                a.CancellationRequestEventId = null;
                await db.SaveChangesAsync(cancellationToken);
                break;
            case AppointmentStatus.Confirmed when a.CancellationRequestedAt is null:
                break; // withdrawn already (or never asked): it stands, the same answer again
            default:
                throw NotOpen(a, tenant.Current!.Name, settings);
        }

        return await PortalAccess.ViewAsync(names, a, settings, now, schedule, db, cancellationToken);
    }

    /// <summary>
    /// 409 <c>no-open-cancellation-request</c>: nothing to withdraw. <c>decision</c> says what became of the request:
    /// <c>kept</c> (staff declined it: the appointment stands), <c>cancelled</c> (it was cancelled), or null (the
    /// appointment had no cancellation request).
    /// </summary>
    public static ProblemException NotOpen(Appointment a, string business, PortalSettingsView settings)
    {
        var reach = BookPortalAppointmentHandler.Reach(settings.Contact);
        var (decision, detail) = (a.Status, a.CancellationRequestedAt) switch
        {
            (AppointmentStatus.Confirmed, not null) => ((string?)"kept",
                $"{business} already decided to keep this appointment when you asked to cancel it, so it stands. To change it, contact {business}{reach}."),
            (AppointmentStatus.Cancelled, not null) => ("cancelled",
                $"{business} already cancelled this appointment, as you asked."),
            _ => (null, "There is no cancellation request to withdraw for this appointment."),
        };
        var problem = new ProblemException(ProblemKinds.NoOpenCancellationRequest, 409, "No cancellation request to withdraw", detail);
        problem.Extensions["decision"] = decision;
        return problem;
    }
}
