using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.PortalSettings;
using Booking.Tenancy.Features.SignUpBusiness;
using Booking.Tenancy.Features.StaffSession;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Tenancy.Features.BusinessDetails;

/// <summary>
/// The business's own details chosen at sign-up (Setup → Business details). <see cref="Slug"/> and
/// <see cref="BookingUrl"/> never change here: the booking address is printed on flyers and in emails already sent.
/// <see cref="Currency"/> does not change either (prices are stored in it). <see cref="SmsCountries"/>: the countries
/// the portal texts sign-in codes to now (the portal settings'), which a change of the country may change (see
/// <see cref="ChangeBusinessDetailsHandler"/>). <see cref="Address"/>: the postal address clients come to, its lines
/// separated by "\n", or null when none was given (decision 274).
/// </summary>
public sealed record BusinessDetailsView(
    string Name,
    string Slug,
    string BookingUrl,
    string TimeZone,
    string CountryCode,
    string Currency,
    IReadOnlyList<string> SmsCountries,
    string? Address);

public sealed record GetBusinessDetails : IQuery<BusinessDetailsView>;

/// <summary>
/// PUT body: the whole set. <see cref="Name"/> is trimmed; <see cref="TimeZone"/> an IANA id tzdb knows;
/// <see cref="CountryCode"/> ISO 3166-1 alpha-2 in any case (stored upper case). The rules are sign-up's.
/// <see cref="ConfirmClientsCutOff"/>: save even though the new country would stop texts to some clients' mobiles
/// (else 409 <see cref="ChangeBusinessDetailsHandler.ClientsCutOff"/>, nothing saved).
/// <see cref="Address"/>: optional, as <see cref="ConfirmClientsCutOff"/> is: left out (null), the stored address stays;
/// blank (only spaces and line breaks), the business has none; else at most 300 characters of several lines (a note's
/// rules, <see cref="OneLineText.MultiLine{T}"/>), stored as <see cref="BusinessAddress.Normalize"/> writes it (decision 274).
/// </summary>
public sealed record ChangeBusinessDetails(string? Name, string? TimeZone, string? CountryCode, bool ConfirmClientsCutOff = false, string? Address = null)
    : ICommand<BusinessDetailsView>;

/// <summary>The business's postal address as stored: each line trimmed and its runs of spaces and tabs made one space, blank lines left out, "\n" between; null when nothing is left.</summary>
public static class BusinessAddress
{
    public const int MaxLength = 300;

    public static string? Normalize(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var lines = address.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r', '\u2028', '\u2029')
            .Select(OneLineText.Flatten).Where(line => line.Length > 0).ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }
}

/// <summary>What a change of the time zone to <see cref="TimeZone"/> would do, before it is made (nothing is saved).</summary>
public sealed record PreviewTimeZoneChange(string? TimeZone) : IQuery<TimeZoneChangeView>;

/// <summary>
/// <see cref="UpcomingAppointments"/>: appointments ahead (booking requests waiting, confirmed, cancellation asked);
/// <see cref="ShownTimesChange"/>: those shown at another time of day in the new zone (they keep their instant);
/// <see cref="First"/>: the soonest of those, its times in the old zone and in the new one, or null.
/// </summary>
public sealed record TimeZoneChangeView(string From, string To, int UpcomingAppointments, int ShownTimesChange, ShownTimeExample? First);

/// <summary>One appointment's times as shown now (<see cref="Start"/>, <see cref="End"/>: the current zone's offset) and after the change.</summary>
public sealed record ShownTimeExample(Guid AppointmentId, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset StartAfter, DateTimeOffset EndAfter);

/// <summary>
/// Sign-up's own rules for the name, the time zone and the country (<see cref="SignUpBusinessValidator"/>, run for those
/// three properties only), so the two can never differ. The name is judged as it will be stored: trimmed.
/// </summary>
public sealed class ChangeBusinessDetailsValidator : AbstractValidator<ChangeBusinessDetails>
{
    private static readonly SignUpBusinessValidator SignUp = new();

    public ChangeBusinessDetailsValidator()
    {
        // Counted as stored (lines trimmed, CRLF one break), as the page's textarea counts it; a raw text far beyond that is
        // refused before it is normalised. An address of Hangul fillers or the Braille blank alone would print a blank
        // "Address:" line in every client email and .ics LOCATION.
        RuleFor(x => x.Address)
            .Must(a => a is null || (a.Length <= 4 * BusinessAddress.MaxLength && (BusinessAddress.Normalize(a)?.Length ?? 0) <= BusinessAddress.MaxLength))
            .WithMessage($"Use at most {BusinessAddress.MaxLength} characters.")
            .MultiLine()
            .Must(OneLineText.HasVisibleText).WithMessage(OneLineText.BlankMessage);
        RuleFor(x => x).Custom((command, context) =>
        {
            var probe = new SignUpBusiness.SignUpBusiness(null, command.Name?.Trim(), command.TimeZone, command.CountryCode, null, null);
            var result = SignUp.Validate(probe, o => o.IncludeProperties(
                nameof(SignUpBusiness.SignUpBusiness.Name), nameof(SignUpBusiness.SignUpBusiness.TimeZone), nameof(SignUpBusiness.SignUpBusiness.CountryCode)));
            foreach (var failure in result.Errors)
            {
                context.AddFailure(failure.PropertyName, failure.ErrorMessage);
            }
        });
    }
}

public sealed class PreviewTimeZoneChangeValidator : AbstractValidator<PreviewTimeZoneChange>
{
    public PreviewTimeZoneChangeValidator() =>
        RuleFor(x => x.TimeZone).Must(Regions.IsTimeZone).WithMessage(SignUpBusinessValidator.BadTimeZone);
}

public sealed class GetBusinessDetailsHandler(TenancyDbContext db, ITenantContext tenant, PortalSettingsStore settings, PublicOrigin origin)
    : IQueryHandler<GetBusinessDetails, BusinessDetailsView>
{
    public async ValueTask<BusinessDetailsView> Handle(GetBusinessDetails query, CancellationToken cancellationToken)
    {
        // The row, not the directory's copy: what this page shows is what is stored now.
        var id = tenant.TenantId!.Value;
        var row = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == id, cancellationToken);
        var sms = (await settings.GetAsync(cancellationToken)).SmsCountries;
        return BusinessDetailsViews.From(row, origin, sms);
    }
}

/// <summary>
/// Saves the signed-in business's name, time zone and country (its own row only: the id is the session's). Only an
/// owner may: they are who the business is, as only an owner may add or change owners (an admin gets
/// <c>forbidden</c>; pages and API alike, since both send this command). Nothing else is rewritten: appointments and
/// busy time keep their instants; the weekly roster, online hours and dated exceptions keep their local times, which
/// now mean the new zone's; stored phone numbers (clients', the business contact's) stay the E.164 numbers they are.
/// The country is the default region for numbers typed from now on, the usual clock (unless one is chosen) and the date
/// order; the SMS countries follow it only where they were just the old country (the default a business starts with),
/// else they stay as chosen. The directory's entries go at once here and, through the notification, everywhere.
/// A change of the SMS countries that would cut clients off (a mobile they sign in with, or the only way a client with
/// no email hears from the business, in the old country: PortalAuth's <see cref="CountClientsLosingTexts"/>) is not
/// made unless the command confirms it: 409 <see cref="ClientsCutOff"/> with their number, nothing saved, as Setup →
/// Business details asks first (decision 261).
/// </summary>
public sealed class ChangeBusinessDetailsHandler(
    TenancyDbContext db,
    ITenantContext tenant,
    IStaffContext staff,
    PortalSettingsStore settings,
    ReferenceDataCache changes,
    PublicOrigin origin,
    TimeProvider clock,
    ISender sender) : ICommandHandler<ChangeBusinessDetails, BusinessDetailsView>
{
    public const string OwnersOnly = "Only an owner can change the business's name, time zone and country.";

    /// <summary>409: the new country would stop texts to clients' mobiles; <c>clientsCutOff</c> says how many.</summary>
    public const string ClientsCutOff = "clients-cut-off";

    public async ValueTask<BusinessDetailsView> Handle(ChangeBusinessDetails command, CancellationToken cancellationToken)
    {
        if (staff.Current?.Role != StaffRoles.Owner)
        {
            throw ProblemException.Forbidden(OwnersOnly);
        }

        var id = tenant.TenantId!.Value;
        var row = await db.Tenants.FirstAsync(t => t.Id == id, cancellationToken);
        var oldCountry = row.CountryCode;
        var country = command.CountryCode!.ToUpperInvariant();
        row.Name = command.Name!.Trim();
        row.TimeZone = command.TimeZone!;
        row.CountryCode = country;
        if (command.Address is not null)
        {
            row.Address = BusinessAddress.Normalize(command.Address);
        }

        var portal = await db.PortalSettings.FirstOrDefaultAsync(cancellationToken);
        IReadOnlyList<string> smsBefore = portal is { SmsCountries.Count: > 0 } ? [.. portal.SmsCountries] : [oldCountry];
        if (portal is not null && country != oldCountry && portal.SmsCountries.Count == 1 && portal.SmsCountries[0] == oldCountry)
        {
            portal.SmsCountries = [country];
            portal.UpdatedAt = clock.GetUtcNow();
        }

        IReadOnlyList<string> smsAfter = portal is { SmsCountries.Count: > 0 } ? portal.SmsCountries : [country];
        if (!command.ConfirmClientsCutOff && !smsBefore.SequenceEqual(smsAfter, StringComparer.OrdinalIgnoreCase)
            && await sender.Send(new CountClientsLosingTexts(smsBefore, smsAfter), cancellationToken) is > 0 and var cutOff)
        {
            throw CutOff(cutOff, smsBefore, smsAfter);
        }

        await db.SaveChangesAsync(cancellationToken);
        await TenantDirectory.AnnounceChangeAsync(db, changes, id);
        await settings.DropAsync(id, country);
        return BusinessDetailsViews.From(row, origin, smsAfter);
    }

    private static ProblemException CutOff(int count, IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var who = count == 1 ? "1 client has a mobile" : $"{count} clients have a mobile";
        var problem = new ProblemException(ClientsCutOff, 409, "Clients would be cut off from texts",
            $"{who} in {SmsCountries.Names(before)}. Texts would go only to mobiles in {SmsCountries.Names(after)}, so they could no longer sign in by phone or get texts. Nothing was saved; send confirmClientsCutOff: true to change the country anyway.");
        problem.Extensions["clientsCutOff"] = count;
        problem.Extensions["smsCountries"] = after;
        return problem;
    }
}

public sealed class PreviewTimeZoneChangeHandler(TenancyDbContext db, ITenantContext tenant, ISender sender)
    : IQueryHandler<PreviewTimeZoneChange, TimeZoneChangeView>
{
    public async ValueTask<TimeZoneChangeView> Handle(PreviewTimeZoneChange query, CancellationToken cancellationToken)
    {
        var id = tenant.TenantId!.Value;
        var from = await db.Tenants.AsNoTracking().Where(t => t.Id == id).Select(t => t.TimeZone).FirstAsync(cancellationToken);
        var to = query.TimeZone!;
        var changes = await sender.Send(new CountShownTimeChanges(from, to), cancellationToken);
        ShownTimeExample? first = null;
        if (changes.First is { } f)
        {
            var old = DateTimeZoneProviders.Tzdb.GetZoneOrNull(from) ?? DateTimeZone.Utc;
            var now = DateTimeZoneProviders.Tzdb[to];
            first = new ShownTimeExample(f.AppointmentId, In(f.Start, old), In(f.End, old), In(f.Start, now), In(f.End, now));
        }

        return new TimeZoneChangeView(from, to, changes.Upcoming, changes.Changing, first);
    }

    private static DateTimeOffset In(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).ToDateTimeOffset();
}

internal static class BusinessDetailsViews
{
    public static BusinessDetailsView From(Tenant row, PublicOrigin origin, IReadOnlyList<string> smsCountries) =>
        new(row.Name, row.Slug, BusinessUrls.For(origin, row.Slug).Portal, row.TimeZone, row.CountryCode, row.Currency, smsCountries, row.Address);
}

public static class BusinessDetailsEndpoints
{
    public static void MapBusinessDetails(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/business", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetBusinessDetails(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetBusinessDetails")
            .WithTags("Setup")
            .Produces<BusinessDetailsView>();

        app.MapPut("/api/v1/admin/business", async (ChangeBusinessDetails command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .RequireStaff(StaffRoles.Setup) // an admin reaches the handler, which says only an owner may
            .WithName("ChangeBusinessDetails")
            .WithTags("Setup")
            .Accepts<ChangeBusinessDetails>("application/json")
            .Produces<BusinessDetailsView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/v1/admin/business/time-zone-change", async (string? timeZone, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new PreviewTimeZoneChange(timeZone), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("PreviewTimeZoneChange")
            .WithTags("Setup")
            .Produces<TimeZoneChangeView>()
            .ProducesValidationProblem();
    }
}
