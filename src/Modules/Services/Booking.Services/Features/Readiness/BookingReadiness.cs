using System.Text.Json.Serialization;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Booking.Services.Features.Readiness;

/// <summary>
/// Whether clients can book the business online now, and if not what is missing, checked live from what the modules
/// hold (review J10): Setup → Client Portal's "Ready to take bookings?" list, the portal's "not taking online bookings
/// yet" note and <c>GET /api/v1/admin/portal/readiness</c>. It reads Tenancy's, Roster's and Appointments' contracts only.
/// Live on every call; the portal's pages and <c>GET /api/v1/portal/business</c> ask <see cref="GetOnlineBookability"/>,
/// the same answer kept a short while.
/// </summary>
public sealed record GetBookingReadiness : IQuery<BookingReadiness>;

/// <summary>
/// <see cref="Ready"/>: every check is met. <see cref="BookableOnline"/>: some service can be booked online (the first
/// three checks), whatever the portal settings say; the portal's note shows when it is false while booking is on.
/// </summary>
public sealed record BookingReadiness(bool Ready, bool BookableOnline, int HorizonDays, IReadOnlyList<ReadinessCheck> Checks)
{
    /// <summary>
    /// The free time <see cref="BookableOnline"/> rests on (the first free start found, in its diary, until the end of
    /// what booking it would hold); null when not bookable. Not part of the API: it tells the kept answer what drops it.
    /// </summary>
    [JsonIgnore]
    public FreeTime? RestsOn { get; init; }

    /// <summary>
    /// A diary that provides a service bookable online is switched off (not active): a sign that online booking was
    /// open and has been closed, for the portal's "closed for now" (<see cref="OnlineBookability.OpenedBefore"/>). Not
    /// part of the API.
    /// </summary>
    [JsonIgnore]
    public bool DiarySwitchedOff { get; init; }

    public ReadinessCheck Check(string check) => Checks.Single(c => c.Check == check);
}

/// <summary>
/// One thing a business needs before clients can book. <see cref="Reason"/> says why an unmet one is unmet (null when
/// met); <see cref="Service"/> and <see cref="Diary"/> name what it is about, where it is about one.
/// </summary>
public sealed record ReadinessCheck(string Check, bool Met, string? Reason = null, ReadinessSubject? Service = null, ReadinessSubject? Diary = null);

public sealed record ReadinessSubject(Guid Id, string Name);

/// <summary>The checks and the reasons an unmet one gives (the API's strings).</summary>
public static class ReadinessChecks
{
    /// <summary>A service that is bookable online and not retired. Reasons: <c>no-services</c>, <c>none-online</c>.</summary>
    public const string OnlineService = "online-service";

    /// <summary>Such a service provided online by an active diary. Reasons: <c>no-service</c>, <c>no-diaries</c>, <c>not-offered</c>.</summary>
    public const string OnlineDiary = "online-diary";

    /// <summary>
    /// Such a diary with a free start of the service: on the slot grid inside its online roster hours (after dated
    /// exceptions), after the end of the minimum notice, within the booking horizon, held by no appointment or busy time
    /// (Appointments' <see cref="FindBookableTime"/>, the availability query's rule). Reasons: <c>no-diary</c>,
    /// <c>no-online-hours</c> (none after the notice within the horizon), <c>hours-too-short</c> (no start of the
    /// service fits them), <c>notice-beyond-horizon</c>, <c>fully-booked</c> (every start is taken).
    /// </summary>
    public const string OnlineHours = "online-hours";

    /// <summary>The Client Portal is switched on. Reason: <c>portal-disabled</c>.</summary>
    public const string PortalEnabled = "portal-enabled";

    /// <summary>The "book" access level is on. Reason: <c>access-level-off</c>.</summary>
    public const string BookAccess = "book-access";
}

public sealed class GetBookingReadinessHandler(ISender sender) : IQueryHandler<GetBookingReadiness, BookingReadiness>
{
    public async ValueTask<BookingReadiness> Handle(GetBookingReadiness query, CancellationToken cancellationToken)
    {
        var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        var rules = await sender.Send(new GetBookingRules(), cancellationToken);
        var services = await sender.Send(new GetServices(OnlineOnly: false), cancellationToken); // by name
        var diaries = await sender.Send(new GetDiaries(null), cancellationToken); // by name
        var active = diaries.Where(d => d.Active).ToList();

        var online = services.Where(s => s.BookableOnline && !s.Retired).ToList();
        var offered = online
            .Select(s => new Offer(s, active.Where(d => s.DiaryIds.Contains(d.Id)).ToList()))
            .Where(o => o.Diaries.Count > 0)
            .ToList();

        // A real free start, by the availability query's own rule (Appointments): on the grid, inside the online hours,
        // after the minimum notice, within the horizon, not taken. The first service (by name) that has one, with its diary.
        var time = offered.Count == 0
            ? new BookableTime(BookableOutcomes.NoOffer)
            : await sender.Send(new FindBookableTime(offered.Select(o => new BookableOffer(o.Service.Id, o.Diaries.Select(d => d.Id).ToList())).ToList()), cancellationToken);
        var named = offered.FirstOrDefault(o => o.Service.Id == time.ServiceId) ?? offered.FirstOrDefault();
        var namedDiary = named?.Diaries.FirstOrDefault(d => d.Id == time.DiaryId) ?? named?.Diaries[0];

        var checks = new List<ReadinessCheck> { ServiceCheck(), DiaryCheck(), HoursCheck() };
        checks.Add(new(ReadinessChecks.PortalEnabled, settings.Enabled, settings.Enabled ? null : "portal-disabled"));
        checks.Add(new(ReadinessChecks.BookAccess, settings.AccessLevels.Book, settings.AccessLevels.Book ? null : "access-level-off"));
        return new BookingReadiness(checks.TrueForAll(c => c.Met), time.Free, rules.HorizonDays, checks)
        {
            RestsOn = time is { Free: true, DiaryId: { } diary, Start: { } start, HeldUntil: { } until } ? new FreeTime(diary, start, until) : null,
            DiarySwitchedOff = diaries.Any(d => !d.Active && online.Any(s => s.DiaryIds.Contains(d.Id))),
        };

        ReadinessCheck ServiceCheck() =>
            named is not null ? new(ReadinessChecks.OnlineService, true, Service: Subject(named.Service))
            : online.Count > 0 ? new(ReadinessChecks.OnlineService, true, Service: Subject(online[0]))
            : new(ReadinessChecks.OnlineService, false, services.Count > 0 ? "none-online" : "no-services");

        ReadinessCheck DiaryCheck() =>
            named is not null ? new(ReadinessChecks.OnlineDiary, true, Service: Subject(named.Service), Diary: Subject(namedDiary!))
            : active.Count == 0 ? new(ReadinessChecks.OnlineDiary, false, "no-diaries", online.Count > 0 ? Subject(online[0]) : null)
            : online.Count == 0 ? new(ReadinessChecks.OnlineDiary, false, "no-service")
            : new(ReadinessChecks.OnlineDiary, false, "not-offered", Subject(online[0]));

        ReadinessCheck HoursCheck() => time.Outcome switch
        {
            BookableOutcomes.Free => new(ReadinessChecks.OnlineHours, true, Service: Subject(named!.Service), Diary: Subject(namedDiary!)),
            BookableOutcomes.NoOffer => new(ReadinessChecks.OnlineHours, false, "no-diary"),
            BookableOutcomes.NoticeBeyondHorizon => new(ReadinessChecks.OnlineHours, false, "notice-beyond-horizon"),
            _ => new(ReadinessChecks.OnlineHours, false, time.Outcome switch
            {
                BookableOutcomes.Taken => "fully-booked",
                BookableOutcomes.TooShort => "hours-too-short",
                _ => "no-online-hours",
            }, Subject(named!.Service), Subject(namedDiary!)),
        };
    }

    private sealed record Offer(ServiceView Service, IReadOnlyList<DiaryView> Diaries);

    private static ReadinessSubject Subject(ServiceView s) => new(s.Id, s.Name);

    private static ReadinessSubject Subject(DiaryView d) => new(d.Id, d.Name);
}

public static class BookingReadinessEndpoint
{
    public static void MapBookingReadiness(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/admin/portal/readiness", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetBookingReadiness(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetBookingReadiness")
            .WithTags("Setup")
            .Produces<BookingReadiness>();
}

/// <summary>
/// <see cref="GetBookingReadiness"/>'s <c>BookableOnline</c>, kept per business in <see cref="ReferenceDataCache"/> as a
/// value worked out from its services and roster (dropped with them) and from its appointments and busy blocks: dropped
/// on every instance when Appointments frees time (a cancellation, a declined request, a busy block removed), on the
/// booking instance when the free time a "bookable" answer rests on is taken (<see cref="IRestsOnFreeTime"/>), and in
/// any case after <see cref="OnlineBookability.Lifetime"/>. The portal's hot path reads it without a query.
/// </summary>
public sealed class GetOnlineBookabilityHandler(ISender sender, ITenantContext tenant, ReferenceDataCache cache) : IQueryHandler<GetOnlineBookability, OnlineBookability>
{
    private const string Name = "online-bookability";

    public async ValueTask<OnlineBookability> Handle(GetOnlineBookability query, CancellationToken cancellationToken) =>
        (await cache.GetOrWorkOutAsync(Name, tenant.TenantId ?? throw new InvalidOperationException("No tenant is set."), OnlineBookability.Lifetime,
            async ct =>
            {
                var readiness = await sender.Send(new GetBookingReadiness(), ct);
                if (readiness.BookableOnline)
                {
                    return new Kept(new OnlineBookability(true, null), readiness.RestsOn);
                }

                var reason = readiness.Check(ReadinessChecks.OnlineHours).Reason == "fully-booked"
                    ? NotBookableReasons.FullyBooked
                    : NotBookableReasons.NothingBookable;
                // Open before: a diary offering a service online was switched off, or clients have booked online here
                // (asked only when nothing is bookable, and only when the diaries have not already said so).
                var openedBefore = reason == NotBookableReasons.FullyBooked
                    || readiness.DiarySwitchedOff
                    || await sender.Send(new HasPortalBookings(), ct);
                return new Kept(new OnlineBookability(false, reason) { OpenedBefore = openedBefore }, null);
            },
            cancellationToken)).Answer;

    /// <summary>The answer, and the free time a "bookable" one rests on (taking that time drops it).</summary>
    private sealed record Kept(OnlineBookability Answer, FreeTime? RestsOn) : IRestsOnFreeTime;
}
