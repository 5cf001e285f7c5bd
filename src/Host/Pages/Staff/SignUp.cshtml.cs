using System.Globalization;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.Tenancy.Features.SignUpBusiness;
using Booking.Tenancy.Features.StaffSignIn;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime.TimeZones;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// /staff/sign-up: a business signs up (the same SignUpBusiness command as POST /api/v1/tenants), its owner is signed
/// in and lands in Setup → Client Portal. The slug's availability is checked live by staff-signup.js; the database's
/// unique index stays the real guard.
/// </summary>
public sealed class SignUpModel(ISender sender) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    /// <summary>Canonical tzdb zones with their country (for the script's country guess), by id.</summary>
    public static IReadOnlyList<(string Id, string Country)> TimeZones { get; } =
        TzdbDateTimeZoneSource.Default.ZoneLocations!
            .Select(l => (l.ZoneId, l.CountryCode))
            .DistinctBy(z => z.ZoneId)
            .Append(("UTC", ""))
            .OrderBy(z => z.Item1, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// tzdb's other names of the listed zones (its links, NodaTime's <see cref="TzdbDateTimeZoneSource.CanonicalIdMap"/>),
    /// each to the listed zone the script preselects for it: browsers report ICU's name, often the old one
    /// ("Asia/Calcutta", "Europe/Kiev"), which the list does not offer. To the canonical zone when it is listed, else to a
    /// listed link of it ("Etc/UTC" → "UTC"). Only the guess uses it: a name typed to the API is stored as given (decision 240).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ZoneAliases { get; } = ListedNamesOfAliases();

    /// <summary><see cref="ZoneAliases"/> as JSON, for the select's <c>data-zone-aliases</c>.</summary>
    public static string ZoneAliasesJson { get; } = System.Text.Json.JsonSerializer.Serialize(ZoneAliases);

    /// <summary>Countries tzdb knows, by English name.</summary>
    public static IReadOnlyList<(string Code, string Name)> Countries { get; } =
        TzdbDateTimeZoneSource.Default.ZoneLocations!
            .Select(l => l.CountryCode)
            .Distinct(StringComparer.Ordinal)
            .Select(c => (c, Name(c)))
            .OrderBy(c => c.Item2, StringComparer.CurrentCulture)
            .ToList();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromServices] TrustedDevices devices, CancellationToken ct)
    {
        ModelState.Clear(); // the command's validator is the judge, as on the API
        try
        {
            var result = await sender.Send(new SignUpBusiness(
                Input.Slug?.Trim(), Input.Name, Input.TimeZone, Input.CountryCode, null,
                new OwnerDetails(Input.Owner.Name, Input.Owner.Email, Input.Owner.Password)) { Ip = HttpContext.ClientIp(), BooksForPets = Input.BooksForPets }, ct);
            await StaffSessions.SignInNewOwnerAsync(HttpContext, result.TenantId, result.OwnerId, result.OwnerName, result.OwnerRole);
            devices.Keep(HttpContext, DeviceArea.Staff, result.DeviceToken, result.Slug);
            return Redirect("/staff/setup/portal?welcome=true");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex))
        {
            UsePageWording();
            Input.Owner.Password = null;
            return Page();
        }
    }

    /// <summary>The page's words for its select boxes, where the API's speak of codes a person never types here.</summary>
    public const string PageBadTimeZone = "Choose your time zone.";

    public const string PageBadCountry = "Choose your country.";

    private void UsePageWording()
    {
        Reword("Input.TimeZone", SignUpBusinessValidator.BadTimeZone, PageBadTimeZone);
        Reword("Input.CountryCode", SignUpBusinessValidator.BadCountry, PageBadCountry);
    }

    private void Reword(string input, string apiWords, string pageWords)
    {
        if (ModelState.TryGetValue(input, out var entry))
        {
            for (var i = 0; i < entry.Errors.Count; i++)
            {
                if (entry.Errors[i].ErrorMessage == apiWords)
                {
                    entry.Errors[i] = new ModelError(pageWords);
                }
            }
        }
    }

    private static SortedDictionary<string, string> ListedNamesOfAliases()
    {
        var canonical = TzdbDateTimeZoneSource.Default.CanonicalIdMap;
        var listed = TimeZones.Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        var listedFor = listed
            .GroupBy(id => canonical.TryGetValue(id, out var c) ? c : id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Contains(g.Key) ? g.Key : g.Order(StringComparer.Ordinal).First(), StringComparer.Ordinal);
        return new SortedDictionary<string, string>(
            canonical.Where(pair => !listed.Contains(pair.Key) && listedFor.ContainsKey(pair.Value))
                .ToDictionary(pair => pair.Key, pair => listedFor[pair.Value], StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    private static string Name(string code)
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

    public sealed class SignUpInput
    {
        public string? Slug { get; set; }

        public string? Name { get; set; }

        public string? TimeZone { get; set; }

        public string? CountryCode { get; set; }

        /// <summary>"Are your appointments for pets?": starts the portal with "Appointments are for pets" on (review s42 #8).</summary>
        public bool BooksForPets { get; set; }

        public OwnerInput Owner { get; set; } = new();
    }

    public sealed class OwnerInput
    {
        public string? Name { get; set; }

        public string? Email { get; set; }

        public string? Password { get; set; }
    }
}
