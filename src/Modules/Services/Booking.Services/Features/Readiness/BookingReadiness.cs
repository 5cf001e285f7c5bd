using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace Booking.Services.Features.Readiness;

/// <summary>
/// Whether clients can book the business online now, and if not what is missing, checked live from what the modules
/// hold (review J10): Setup → Client Portal's "Ready to take bookings?" list, the portal's "not taking online bookings
/// yet" note and <c>GET /api/v1/admin/portal/readiness</c>. It reads Tenancy's and Roster's contracts only.
/// </summary>
public sealed record GetBookingReadiness : IQuery<BookingReadiness>;

/// <summary>
/// <see cref="Ready"/>: every check is met. <see cref="BookableOnline"/>: some service can be booked online (the first
/// three checks), whatever the portal settings say; the portal's note shows when it is false while booking is on.
/// </summary>
public sealed record BookingReadiness(bool Ready, bool BookableOnline, int HorizonDays, IReadOnlyList<ReadinessCheck> Checks)
{
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
    /// Such a diary with online roster hours (after dated exceptions) long enough for the service, from the end of the
    /// minimum notice to the end of the booking horizon. Reasons: <c>no-diary</c>, <c>no-online-hours</c>,
    /// <c>hours-too-short</c>, <c>notice-beyond-horizon</c>.
    /// </summary>
    public const string OnlineHours = "online-hours";

    /// <summary>The Client Portal is switched on. Reason: <c>portal-disabled</c>.</summary>
    public const string PortalEnabled = "portal-enabled";

    /// <summary>The "book" access level is on. Reason: <c>access-level-off</c>.</summary>
    public const string BookAccess = "book-access";
}

public sealed class GetBookingReadinessHandler(ISender sender, ITenantContext tenant, TimeProvider clock) : IQueryHandler<GetBookingReadiness, BookingReadiness>
{
    public async ValueTask<BookingReadiness> Handle(GetBookingReadiness query, CancellationToken cancellationToken)
    {
        var business = tenant.Current ?? throw new InvalidOperationException("No tenant is set.");
        var settings = await sender.Send(new GetPortalSettings(), cancellationToken);
        var rules = await sender.Send(new GetBookingRules(), cancellationToken);
        var services = await sender.Send(new GetServices(OnlineOnly: false), cancellationToken); // by name
        var active = (await sender.Send(new GetDiaries(null), cancellationToken)).Where(d => d.Active).ToList(); // by name

        var online = services.Where(s => s.BookableOnline && !s.Retired).ToList();
        var offered = online
            .Select(s => new Offer(s, active.Where(d => s.DiaryIds.Contains(d.Id)).ToList()))
            .Where(o => o.Diaries.Count > 0)
            .ToList();

        // Online hours from the day the minimum notice ends to the horizon's last day, in the business's zone.
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(business.TimeZone) ?? DateTimeZone.Utc;
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var last = now.InZone(zone).Date.PlusDays(rules.HorizonDays);
        var from = (now + Duration.FromMinutes(rules.MinimumNoticeMinutes)).InZone(zone).Date;
        IReadOnlyList<DiaryDayHours> hours = from > last || offered.Count == 0
            ? []
            : await sender.Send(new GetOnlineHours(offered.SelectMany(o => o.Diaries).Select(d => d.Id).Distinct().ToList(), from.ToDateOnly(), last.ToDateOnly()), cancellationToken);
        var longest = hours.GroupBy(h => h.DiaryId).ToDictionary(g => g.Key, g => g.SelectMany(h => h.Blocks).Max(b => b.End - b.Start));

        // The first service (by name) that an active diary can take online within the horizon, with that diary.
        (ServiceView Service, DiaryView Diary)? bookable = null;
        foreach (var offer in offered)
        {
            var fits = offer.Diaries.FirstOrDefault(d => longest.TryGetValue(d.Id, out var block) && block >= TimeSpan.FromMinutes(offer.Service.DurationMinutes));
            if (fits is not null)
            {
                bookable = (offer.Service, fits);
                break;
            }
        }

        var checks = new List<ReadinessCheck> { ServiceCheck(), DiaryCheck(), HoursCheck() };
        checks.Add(new(ReadinessChecks.PortalEnabled, settings.Enabled, settings.Enabled ? null : "portal-disabled"));
        checks.Add(new(ReadinessChecks.BookAccess, settings.AccessLevels.Book, settings.AccessLevels.Book ? null : "access-level-off"));
        return new BookingReadiness(checks.TrueForAll(c => c.Met), bookable is not null, rules.HorizonDays, checks);

        ReadinessCheck ServiceCheck() =>
            bookable is { } b ? new(ReadinessChecks.OnlineService, true, Service: Subject(b.Service))
            : offered.Count > 0 ? new(ReadinessChecks.OnlineService, true, Service: Subject(offered[0].Service))
            : online.Count > 0 ? new(ReadinessChecks.OnlineService, true, Service: Subject(online[0]))
            : new(ReadinessChecks.OnlineService, false, services.Count > 0 ? "none-online" : "no-services");

        ReadinessCheck DiaryCheck() =>
            bookable is { } b ? new(ReadinessChecks.OnlineDiary, true, Service: Subject(b.Service), Diary: Subject(b.Diary))
            : offered.Count > 0 ? new(ReadinessChecks.OnlineDiary, true, Service: Subject(offered[0].Service), Diary: Subject(offered[0].Diaries[0]))
            : active.Count == 0 ? new(ReadinessChecks.OnlineDiary, false, "no-diaries", online.Count > 0 ? Subject(online[0]) : null)
            : online.Count == 0 ? new(ReadinessChecks.OnlineDiary, false, "no-service")
            : new(ReadinessChecks.OnlineDiary, false, "not-offered", Subject(online[0]));

        ReadinessCheck HoursCheck()
        {
            if (bookable is { } b)
            {
                return new(ReadinessChecks.OnlineHours, true, Service: Subject(b.Service), Diary: Subject(b.Diary));
            }

            if (offered.Count == 0)
            {
                return new(ReadinessChecks.OnlineHours, false, "no-diary");
            }

            if (from > last)
            {
                return new(ReadinessChecks.OnlineHours, false, "notice-beyond-horizon");
            }

            // A diary with online hours, all too short for the service it offers; else the first offering diary.
            var tooShort = offered.SelectMany(o => o.Diaries.Where(d => longest.ContainsKey(d.Id)).Select(d => new { o.Service, Diary = d })).FirstOrDefault();
            return tooShort is not null
                ? new(ReadinessChecks.OnlineHours, false, "hours-too-short", Subject(tooShort.Service), Subject(tooShort.Diary))
                : new(ReadinessChecks.OnlineHours, false, "no-online-hours", Subject(offered[0].Service), Subject(offered[0].Diaries[0]));
        }
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
