using Booking.BuildingBlocks.Problems;
using System.Text.Json;
using System.Text.RegularExpressions;
using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Contracts;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Settings = Booking.Tenancy.Domain.PortalSettings;

namespace Booking.Tenancy.Features.PortalSettings;

public sealed class GetPortalSettingsHandler(PortalSettingsStore store) : IQueryHandler<GetPortalSettings, PortalSettingsView>
{
    public ValueTask<PortalSettingsView> Handle(GetPortalSettings query, CancellationToken cancellationToken) => store.GetAsync(cancellationToken);
}

public sealed record SignInMethodsInput(bool? Email, bool? Phone);

public sealed record AccessLevelsInput(bool? View, bool? Book, bool? Cancel);

public sealed record CancellationPolicyInput(int? Hours, string? Text, string? InsideWindow);

public sealed record BrandingInput(string? Colour);

/// <summary>How clients reach the business: each part optional (null or empty for none).</summary>
public sealed record BusinessContactInput(string? Phone, string? Email);

/// <summary>
/// PUT body. Terms is a JsonElement so that a missing field (a validation error) differs from an explicit null
/// (no terms); given terms are {"text": …}, a version sent along is ignored (the server numbers versions).
/// Contact and TimeFormat (added after API.md) are optional: left out, they stay as they are, so a client written
/// before them does not wipe them. TimeFormat is a JsonElement for the same reason as Terms: left out (unchanged) differs
/// from null (the country's usual clock); else "12h" or "24h". It is a property, not a parameter: as a parameter without
/// a default OpenAPI calls it required, and with one OpenAPI fails writing the undefined JsonElement as the default.
/// </summary>
public sealed record UpdatePortalSettings(
    bool? Enabled,
    SignInMethodsInput? SignInMethods,
    AccessLevelsInput? AccessLevels,
    CancellationPolicyInput? CancellationPolicy,
    bool? AcceptingNewClients,
    bool? NewClientsNeedApproval,
    bool? ShowPrices,
    bool? BooksForPets,
    string? BookingInstructions,
    JsonElement Terms,
    BrandingInput? Branding,
    BusinessContactInput? Contact = null) : ICommand<PortalSettingsView>
{
    /// <summary>"12h", "24h" or null (the country's clock); left out (undefined), the setting stays.</summary>
    public JsonElement TimeFormat { get; init; }

    /// <summary>
    /// The most upcoming appointments one client may hold through the portal, 1–100 (<see cref="PortalBookingLimits"/>);
    /// left out (or null), the setting stays.
    /// </summary>
    public int? MaxUpcomingBookingsPerClient { get; init; }

    /// <summary>
    /// The countries whose mobiles the portal texts one-time codes to: 1–20 ISO 3166-1 alpha-2 codes (any case) that
    /// libphonenumber knows (BuildingBlocks <see cref="Booking.BuildingBlocks.Phones.SmsCountries"/>); left out (or null), the setting stays.
    /// </summary>
    public IReadOnlyList<string?>? SmsCountries { get; init; }

    /// <summary>The clock asked for: "12h", "24h" or null (the country's); unchanged when <see cref="SetsTimeFormat"/> is false.</summary>
    public string? TimeFormatCode() => TimeFormat.ValueKind == JsonValueKind.String ? TimeFormat.GetString() : null;

    /// <summary>The body names timeFormat (a value or null); left out, the setting stays.</summary>
    public bool SetsTimeFormat() => TimeFormat.ValueKind != JsonValueKind.Undefined;

    /// <summary>The terms text asked for: null for no terms.</summary>
    public string? TermsText() =>
        Terms.ValueKind == JsonValueKind.Object && Terms.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;
}

public sealed partial class UpdatePortalSettingsValidator : AbstractValidator<UpdatePortalSettings>
{
    /// <summary>The API's words for terms without text; the settings page words it for its own box.</summary>
    public const string NoTermsText = "Give the terms' text, or set terms to null for none.";

    public const int MaxPolicyHours = 720;

    /// <summary>A window of some hours with no words for it: clients refused inside it would be told nothing.</summary>
    public const string EmptyPolicyText = "Write the policy clients are shown when they cannot cancel online, e.g. \"Please give us 24 hours' notice to cancel.\" Or set the hours to 0 for no window.";

    public const string BadPhone = "Enter a phone number clients can call, e.g. as they would dial it in your country, or leave it empty.";

    public const string BadEmail = "Enter a valid email address, or leave it empty.";

    public const string BadTimeFormat = "Use \"12h\" for a 12-hour clock (2:30 PM), \"24h\" for a 24-hour clock (14:30), or null for your country's usual clock.";

    public const string BadMaxUpcoming = "Use a number from 1 to 100.";

    public const string NoSmsCountries =
        "Name at least one country to text sign-in codes to, e.g. [\"GB\"]. To text no codes at all, turn phone sign-in off.";

    public static readonly string TooManySmsCountries = $"Name at most {SmsCountries.Max} countries.";

    /// <summary>An unknown country code, named in the words.</summary>
    public static string BadSmsCountry(string? code) =>
        $"\"{code}\" is not a country code we can text. Use two-letter ISO 3166 codes, e.g. GB for the United Kingdom or IE for Ireland.";

    /// <summary>Both sign-in methods off: no client could sign in at all, so it is refused (on <c>signInMethods</c>).</summary>
    public const string BothSignInMethodsOff =
        "Clients need at least one way to sign in: keep email or phone sign-in on. To close the portal to clients, set enabled to false instead.";

    /// <summary>Scoped: the phone is read with the business's country as its default region.</summary>
    public UpdatePortalSettingsValidator(ITenantContext tenant)
    {
        const string yesNo = "Give true or false.";
        RuleFor(x => x.Enabled).NotNull().WithMessage(yesNo);
        RuleFor(x => x.SignInMethods).NotNull().WithMessage("Give the sign-in methods: { \"email\": true, \"phone\": true }.");
        When(x => x.SignInMethods is not null, () =>
        {
            RuleFor(x => x.SignInMethods!.Email).NotNull().WithMessage(yesNo);
            RuleFor(x => x.SignInMethods!.Phone).NotNull().WithMessage(yesNo);
            RuleFor(x => x.SignInMethods).Must(m => m!.Email != false || m.Phone != false)
                .WithMessage(BothSignInMethodsOff);
        });
        RuleFor(x => x.AccessLevels).NotNull().WithMessage("Give the access levels: { \"view\", \"book\", \"cancel\" }.");
        When(x => x.AccessLevels is not null, () =>
        {
            RuleFor(x => x.AccessLevels!.View).NotNull().WithMessage(yesNo);
            RuleFor(x => x.AccessLevels!.Book).NotNull().WithMessage(yesNo);
            RuleFor(x => x.AccessLevels!.Cancel).NotNull().WithMessage(yesNo);
        });
        RuleFor(x => x.CancellationPolicy).NotNull().WithMessage("Give the cancellation policy: { \"hours\", \"text\", \"insideWindow\" }.");
        When(x => x.CancellationPolicy is not null, () =>
        {
            RuleFor(x => x.CancellationPolicy!.Hours).NotNull().WithMessage("Give the hours before the start.")
                .InclusiveBetween(0, MaxPolicyHours).WithMessage($"Use 0 to {MaxPolicyHours} hours.");
            RuleFor(x => x.CancellationPolicy!.Text).NotNull().WithMessage("Give the policy text (empty is fine when the hours are 0).")
                .MaximumLength(2000).WithMessage("Use at most 2000 characters.").MultiLine();
            // With a window, the text is what a client is told when the portal refuses to cancel (the refusal's detail, the
            // cancel page's "Cancellation policy"): the business's own words, never blank (decision 250).
            RuleFor(x => x.CancellationPolicy!.Text)
                .Must(text => !string.IsNullOrWhiteSpace(text))
                .When(x => x.CancellationPolicy!.Hours > 0 && x.CancellationPolicy.Text is not null)
                .WithMessage(EmptyPolicyText);
            RuleFor(x => x.CancellationPolicy!.InsideWindow).Must(v => v is Settings.Refuse or Settings.Request)
                .WithMessage("Use \"refuse\" or \"request\".");
        });
        RuleFor(x => x.AcceptingNewClients).NotNull().WithMessage(yesNo);
        RuleFor(x => x.NewClientsNeedApproval).NotNull().WithMessage(yesNo);
        RuleFor(x => x.ShowPrices).NotNull().WithMessage(yesNo);
        RuleFor(x => x.BooksForPets).NotNull().WithMessage(yesNo);
        RuleFor(x => x.BookingInstructions).NotNull().WithMessage("Give the booking instructions (empty is fine).")
            .MaximumLength(4000).WithMessage("Use at most 4000 characters.").MultiLine();
        RuleFor(x => x).Custom((command, context) =>
        {
            switch (command.Terms.ValueKind)
            {
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.Object when command.TermsText() is { } text:
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        context.AddFailure(new ValidationFailure("terms.text", NoTermsText));
                    }
                    else if (text.Length > 50_000)
                    {
                        context.AddFailure(new ValidationFailure("terms.text", "Use at most 50,000 characters."));
                    }
                    else if (OneLineText.MultiLineProblem(text) is { } problem)
                    {
                        context.AddFailure(new ValidationFailure("terms.text", problem));
                    }

                    break;
                case JsonValueKind.Object:
                    context.AddFailure(new ValidationFailure("terms.text", NoTermsText));
                    break;
                default:
                    context.AddFailure(new ValidationFailure("terms", "Give the terms as { \"text\": … }, or null for none."));
                    break;
            }
        });
        When(x => x.Contact is not null, () =>
        {
            RuleFor(x => x.Contact!.Phone)
                .Must(p => BusinessPhone.ToE164(p, tenant.Current?.CountryCode ?? "") is not null)
                .When(x => !string.IsNullOrWhiteSpace(x.Contact!.Phone))
                .WithMessage(BadPhone);
            RuleFor(x => x.Contact!.Email)
                .Must(e => EmailAddress.IsValid(EmailAddress.Tidy(e)))
                .When(x => !string.IsNullOrWhiteSpace(x.Contact!.Email))
                .WithMessage(BadEmail);
        });
        RuleFor(x => x).Custom((command, context) =>
        {
            if (command.TimeFormat.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
                && Booking.BuildingBlocks.Time.TimeFormat.FromCode(command.TimeFormatCode()) is null)
            {
                context.AddFailure(new ValidationFailure("timeFormat", BadTimeFormat));
            }
        });
        RuleFor(x => x.MaxUpcomingBookingsPerClient)
            .InclusiveBetween(PortalBookingLimits.MinUpcoming, PortalBookingLimits.MaxUpcoming)
            .WithMessage(BadMaxUpcoming);
        RuleFor(x => x).Custom((command, context) =>
        {
            if (command.SmsCountries is not { } countries)
            {
                return;
            }

            if (countries.Count == 0)
            {
                context.AddFailure(new ValidationFailure("smsCountries", NoSmsCountries));
            }
            else if (countries.Count > SmsCountries.Max)
            {
                context.AddFailure(new ValidationFailure("smsCountries", TooManySmsCountries));
            }

            for (var i = 0; i < countries.Count && i < SmsCountries.Max + 1; i++)
            {
                if (!SmsCountries.IsSupported(countries[i]))
                {
                    context.AddFailure(new ValidationFailure($"smsCountries[{i}]", BadSmsCountry(countries[i])));
                }
            }
        });
        RuleFor(x => x.Branding).NotNull().WithMessage("Give the branding: { \"colour\": \"#rrggbb\" }.");
        When(x => x.Branding is not null, () =>
            RuleFor(x => x.Branding!.Colour).Must(c => c is not null && Colour().IsMatch(c)).WithMessage("Give the colour as #rrggbb."));
    }

    [GeneratedRegex(@"^#[0-9a-fA-F]{6}\z")]
    private static partial Regex Colour();
}

public sealed class UpdatePortalSettingsHandler(TenancyDbContext db, ITenantContext tenant, PortalSettingsStore store, TimeProvider clock, ISender sender)
    : ICommandHandler<UpdatePortalSettings, PortalSettingsView>
{
    /// <summary>
    /// Two saves at the same moment both read the same settings: the second to commit meets the first's new terms
    /// version (or, for a business's first settings, its new row) in a unique key, and is made again on what the
    /// first saved, so each text keeps a version of its own and neither save is lost.
    /// </summary>
    public async ValueTask<PortalSettingsView> Handle(UpdatePortalSettings command, CancellationToken cancellationToken)
    {
        var view = await db.RetryOnConcurrentChangeAsync(() => SaveAsync(command, cancellationToken), ex => ex.IsUniqueViolation());
        await store.DropAsync(tenant.TenantId!.Value);
        // Phone sign-in off shuts out clients who have only a mobile, email sign-in off those with no mobile they can
        // sign in with: reported (PortalAuth counts them), never refused. Both off is refused (the validator).
        return view with
        {
            PhoneOnlyClientsLockedOut = view.SignInMethods.Phone ? 0 : await sender.Send(new CountPhoneOnlyClients(), cancellationToken),
            EmailOnlyClientsLockedOut = view.SignInMethods.Email ? 0 : await sender.Send(new CountEmailOnlyClients(), cancellationToken),
        };
    }

    private async Task<PortalSettingsView> SaveAsync(UpdatePortalSettings command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var settings = await db.PortalSettings.FirstOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = Settings.NewFor(tenant.TenantId!.Value, tenant.Current!.CountryCode);
            db.PortalSettings.Add(settings);
        }

        settings.Enabled = command.Enabled!.Value;
        settings.SignInWithEmail = command.SignInMethods!.Email!.Value;
        settings.SignInWithPhone = command.SignInMethods.Phone!.Value;
        settings.CanView = command.AccessLevels!.View!.Value;
        settings.CanBook = command.AccessLevels.Book!.Value;
        settings.CanCancel = command.AccessLevels.Cancel!.Value;
        settings.CancellationHours = command.CancellationPolicy!.Hours!.Value;
        settings.CancellationText = Domain.PortalSettings.PolicyTextFollowingHours(command.CancellationPolicy.Text!.Trim(), settings.CancellationHours);
        settings.InsideWindow = command.CancellationPolicy.InsideWindow!;
        settings.AcceptingNewClients = command.AcceptingNewClients!.Value;
        settings.NewClientsNeedApproval = command.NewClientsNeedApproval!.Value;
        settings.ShowPrices = command.ShowPrices!.Value;
        settings.BooksForPets = command.BooksForPets!.Value;
        settings.BookingInstructions = command.BookingInstructions!.Trim();
        settings.BrandingColour = command.Branding!.Colour!.ToLowerInvariant();
        if (command.Contact is { } contact)
        {
            var region = tenant.Current!.CountryCode;
            settings.ContactPhone = string.IsNullOrWhiteSpace(contact.Phone) ? null : BusinessPhone.ToE164(contact.Phone, region);
            settings.ContactEmail = string.IsNullOrWhiteSpace(contact.Email) ? null : EmailAddress.Tidy(contact.Email);
        }

        if (command.SetsTimeFormat())
        {
            settings.TimeFormat = command.TimeFormatCode();
        }

        if (command.MaxUpcomingBookingsPerClient is { } maxUpcoming)
        {
            settings.MaxUpcomingBookingsPerClient = maxUpcoming;
        }

        if (command.SmsCountries is { } countries)
        {
            // Stored upper case, each once, in the order given (the order the refusal names them in).
            settings.SmsCountries = countries.Select(c => SmsCountries.Tidy(c!)).Distinct(StringComparer.Ordinal).ToList();
        }

        settings.UpdatedAt = now;

        var terms = command.TermsText()?.Trim();
        if (terms is not null && !string.Equals(terms, settings.TermsText, StringComparison.Ordinal))
        {
            // New text, new version: a booking records the version its client accepted.
            settings.TermsVersion += 1;
            db.TermsVersions.Add(new TermsVersion { Version = settings.TermsVersion, Text = terms, CreatedAt = now });
        }

        settings.TermsText = terms;
        await db.SaveChangesAsync(cancellationToken);
        return settings.ToView(tenant.Current!.CountryCode);
    }
}

public static class PortalSettingsEndpoints
{
    public static void MapPortalSettings(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/admin/portal-settings", async (ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetPortalSettings(), ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("GetPortalSettings")
            .WithTags("Setup")
            .Produces<PortalSettingsView>();

        app.MapPut("/api/v1/admin/portal-settings", async (UpdatePortalSettings command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .RequireStaff(StaffRoles.Setup)
            .WithName("UpdatePortalSettings")
            .Answers(409, ProblemKinds.ChangedMeanwhile)
            .WithTags("Setup")
            .Accepts<UpdatePortalSettings>("application/json")
            .Produces<PortalSettingsView>()
            .ProducesValidationProblem();
    }
}
