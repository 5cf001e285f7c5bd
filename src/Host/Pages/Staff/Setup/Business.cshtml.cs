using System.Globalization;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.BusinessDetails;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.TimeZones;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>
/// /staff/setup/business: the business's name, time zone and country (GetBusinessDetails / ChangeBusinessDetails, as
/// GET/PUT /api/v1/admin/business). Owners change them; admins see them (the command refuses anyone but an owner). A
/// new time zone is not saved at once: the page first says what it does (PreviewTimeZoneChange, as GET
/// /api/v1/admin/business/time-zone-change), with how many upcoming appointments will show at another time and the
/// first one's times before and after; "Change the time zone" posts the form again with the change it confirms. A new
/// country that would stop texts to clients' mobiles (the command's 409 <c>clients-cut-off</c>) is asked about the same
/// way, with how many clients could no longer sign in by phone or get texts (decision 261). The postal address is a
/// textarea sent with every save (an empty one clears it: decision 274), shown to clients in emails and calendar files.
/// </summary>
public sealed class BusinessModel(ISender sender, IValidator<ChangeBusinessDetails> validator) : StaffPageModel
{
    public BusinessDetailsView Details { get; private set; } = null!;

    [BindProperty]
    public DetailsInput Input { get; set; } = new();

    /// <summary>The zone change the confirm step was shown for ("from" and "to"); only that change is saved without asking again.</summary>
    [BindProperty]
    public string? ConfirmFrom { get; set; }

    [BindProperty]
    public string? ConfirmTo { get; set; }

    /// <summary>Set when the post asks before a new time zone is saved.</summary>
    public TimeZoneChangeView? ZoneChange { get; private set; }

    /// <summary>The country change the cut-off step was shown for ("from" and "to"); only that change is saved without asking again.</summary>
    [BindProperty]
    public string? ConfirmCountryFrom { get; set; }

    [BindProperty]
    public string? ConfirmCountryTo { get; set; }

    /// <summary>
    /// Set when the post asks before a new country cuts clients off from texts (the command's 409
    /// <see cref="ChangeBusinessDetailsHandler.ClientsCutOff"/>): how many, and the countries texts would go to.
    /// </summary>
    public (int Clients, IReadOnlyList<string> SmsCountries)? CutOff { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public bool CanEdit => StaffRole == StaffRoles.Owner;

    public static IReadOnlyList<(string Id, string Country)> TimeZones => SignUpModel.TimeZones;

    public static IReadOnlyList<(string Code, string Name)> Countries => SignUpModel.Countries;

    /// <summary>
    /// The select's zones: sign-up's list, plus the business's current zone (and one just posted) where that list lacks
    /// it. The API takes any id tzdb knows, at sign-up as here, so a business may have an alias ("Asia/Calcutta",
    /// "US/Eastern") or another id the list leaves out ("Etc/GMT-10"); it shows chosen, as itself, and saves unchanged
    /// (decision 240). An alias of a listed zone says so: "Asia/Calcutta (the same as Asia/Kolkata)".
    /// </summary>
    public IReadOnlyList<(string Id, string Label)> ZoneChoices
    {
        get
        {
            var listed = TimeZones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
            var extra = new[] { Details?.TimeZone, Input.TimeZone }
                .Where(z => z is not null && !listed.Contains(z) && DateTimeZoneProviders.Tzdb.GetZoneOrNull(z) is not null)
                .Distinct(StringComparer.Ordinal)
                .Select(z => (Id: z!, Label: AliasLabel(z!, listed)));
            return TimeZones.Select(z => (z.Id, ZoneName(z.Id))).Concat(extra).OrderBy(z => z.Item1, StringComparer.Ordinal).ToList();
        }
    }

    private static string AliasLabel(string zone, HashSet<string> listed)
    {
        var same = listed.FirstOrDefault(z => z != zone && SameZone(z, zone));
        return same is null ? ZoneName(zone) : $"{ZoneName(zone)} (the same as {ZoneName(same)})";
    }

    /// <summary>Two ids of one tzdb zone (an alias and its zone: "US/Eastern" and "America/New_York"): the same clock, always.</summary>
    public static bool SameZone(string? a, string? b) =>
        a is not null && b is not null
        && (string.Equals(a, b, StringComparison.Ordinal)
            || (TzdbDateTimeZoneSource.Default.CanonicalIdMap.TryGetValue(a, out var ca)
                && TzdbDateTimeZoneSource.Default.CanonicalIdMap.TryGetValue(b, out var cb)
                && string.Equals(ca, cb, StringComparison.Ordinal)));

    public async Task OnGetAsync(CancellationToken ct)
    {
        Details = await sender.Send(new GetBusinessDetails(), ct);
        Input = new DetailsInput { Name = Details.Name, TimeZone = Details.TimeZone, CountryCode = Details.CountryCode, Address = Details.Address };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!CanEdit)
        {
            // The form is not shown to admins; a post made anyway is refused before anything is checked (the command would too).
            return Stopped(403, "Not available to your role", ChangeBusinessDetailsHandler.OwnersOnly);
        }

        ModelState.Clear(); // the command's validator is the judge, as on the API
        Details = await sender.Send(new GetBusinessDetails(), ct);
        // An empty textarea binds as null, which the command reads as "keep": the form means "none".
        var command = new ChangeBusinessDetails(Input.Name, Input.TimeZone, Input.CountryCode, Address: Input.Address ?? "");
        try
        {
            // Every field's problem first, so a confirm step never stands over a form that would be refused.
            var check = await validator.ValidateAsync(command, ct);
            if (!check.IsValid)
            {
                throw new ValidationException(check.Errors);
            }

            // Another name of the same zone (an alias for its zone) changes no time: saved without asking.
            var zoneChanges = !SameZone(Input.TimeZone, Details.TimeZone);
            if (zoneChanges && !(ConfirmFrom == Details.TimeZone && ConfirmTo == Input.TimeZone))
            {
                ZoneChange = await sender.Send(new PreviewTimeZoneChange(Input.TimeZone), ct);
                return Page();
            }

            // Clients whose mobile would no longer be texted: the command refuses until this change is confirmed (decision 261).
            var countryConfirmed = string.Equals(ConfirmCountryFrom, Details.CountryCode, StringComparison.OrdinalIgnoreCase)
                && string.Equals(ConfirmCountryTo, Input.CountryCode, StringComparison.OrdinalIgnoreCase);
            var before = Details;
            var saved = await sender.Send(command with { ConfirmClientsCutOff = countryConfirmed }, ct);
            Notice = SavedNotice(before, saved);
            return Redirect("/staff/setup/business");
        }
        catch (ProblemException problem) when (problem.Kind == ChangeBusinessDetailsHandler.ClientsCutOff)
        {
            CutOff = ((int)problem.Extensions["clientsCutOff"]!, (IReadOnlyList<string>)problem.Extensions["smsCountries"]!);
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, Fields.InputName))
        {
            Fields.UsePageWording(ModelState);
            return Page();
        }
    }

    /// <summary>What the save did, in words: the name, then the zone, then the country with what follows it.</summary>
    private static string SavedNotice(BusinessDetailsView before, BusinessDetailsView after)
    {
        var said = new List<string> { "Business details saved." };
        if (before.Name != after.Name)
        {
            said.Add($"Your business is now called {after.Name}; your booking address has not changed.");
        }

        if (SameZone(before.TimeZone, after.TimeZone) && before.TimeZone != after.TimeZone)
        {
            said.Add($"Your time zone is now called {ZoneName(after.TimeZone)}: the same clock as {ZoneName(before.TimeZone)}, so no time changes.");
        }
        else if (before.TimeZone != after.TimeZone)
        {
            said.Add($"Times are now shown in {ZoneName(after.TimeZone)} time.");
        }

        if (before.CountryCode != after.CountryCode)
        {
            var sms = before.SmsCountries.SequenceEqual(after.SmsCountries)
                ? $"Texts (sign-in codes and booking texts) still go only to mobiles in {CountryList(after.SmsCountries)} (Setup · Client Portal)."
                : $"Texts (sign-in codes and booking texts) now go to mobiles in {CountryList(after.SmsCountries)}.";
            said.Add($"Your country is now {CountryName(after.CountryCode)}. {sms}");
        }

        if (before.Address != after.Address)
        {
            said.Add(after.Address is null ? "Your address is no longer shown to clients." : "Clients see your new address in emails, calendar files and the Client Portal from now on.");
        }

        return string.Join(" ", said);
    }

    /// <summary>"your upcoming appointment", "your 3 upcoming appointments", "2 of your 5 upcoming appointments".</summary>
    public static string Changing(TimeZoneChangeView change) => (change.ShownTimesChange, change.UpcomingAppointments) switch
    {
        (1, 1) => "your upcoming appointment",
        var (n, all) when n == all => $"your {n} upcoming appointments",
        var (n, all) => $"{n} of your {all} upcoming appointments",
    };

    /// <summary>A zone's id with spaces for its underscores ("America/New York").</summary>
    public static string ZoneName(string zone) => zone.Replace('_', ' ');

    public static string CountryName(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }

    public static string CountryList(IReadOnlyList<string> codes)
    {
        var names = codes.Select(CountryName).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    /// <summary>An appointment's times as shown in a zone, with the zone's abbreviation: "Tuesday 8 December 2026, 10:00–11:00 AM AEDT".</summary>
    public string ShownIn(DateTimeOffset start, DateTimeOffset end, string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) ?? DateTimeZone.Utc;
        return TimeFormat.LongSpanWithZone(Instant.FromDateTimeOffset(start).InZone(zone), Instant.FromDateTimeOffset(end).InZone(zone), Dates);
    }

    /// <summary>The form's fields: the zone and country are selects, so any refusal is sign-up's page words (decision 260).</summary>
    public static readonly FormFields Fields = new(
        "Input.",
        typeof(DetailsInput),
        new FormField(nameof(DetailsInput.TimeZone), "timeZone") { Choose = SignUpModel.PageBadTimeZone },
        new FormField(nameof(DetailsInput.CountryCode), "countryCode") { Choose = SignUpModel.PageBadCountry });

    public sealed class DetailsInput
    {
        public string? Name { get; set; }

        public string? TimeZone { get; set; }

        public string? CountryCode { get; set; }

        public string? Address { get; set; }
    }
}
