using System.Globalization;
using System.Text.Json;
using Booking.Host.Web;
using Booking.Notifications.Features.Settings;
using Booking.Notifications.Features.Templates;
using Booking.PortalAuth.Contracts;
using Booking.Services.Features.Readiness;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Features.Branding;
using Booking.Tenancy.Features.PortalSettings;
using Booking.Tenancy.Features.StaffSession;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup;

/// <summary>
/// Setup → Client Portal (seed 000): every portal setting, the notification choices, branding with the logo, and the
/// business's portal URL with a ready-to-paste button, and "Ready to take bookings?" (what clients still cannot book
/// for, each with a link to the page that fixes it). Three forms, each sending the same command as its API route.
/// </summary>
[HandlerBodyLimit("Logo", UploadLogo.MaxRequestBytes)] // the logo form only; the page's other forms keep the 1 MB default (decisions 298, 309)
public sealed class PortalModel(ISender sender, Booking.BuildingBlocks.Web.PublicOrigin origin) : StaffPageModel
{
    [BindProperty]
    public SettingsInput Settings { get; set; } = new();

    [BindProperty]
    public NotifyInput Notify { get; set; } = new();

    [BindProperty]
    public IFormFile? Logo { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Welcome { get; set; }

    /// <summary>"Turn phone sign-in off" in the confirm step: the owner has read whom it shuts out and saves anyway.</summary>
    [BindProperty]
    public bool ConfirmPhoneOff { get; set; }

    /// <summary>"Keep phone sign-in on" in the confirm step: the rest of the form is saved with phone sign-in still on.</summary>
    [BindProperty]
    public bool KeepPhoneOn { get; set; }

    /// <summary>
    /// Set when a save would turn phone sign-in off while clients have a mobile but no email: the page asks first,
    /// naming how many cannot sign in any more; nothing is saved until the owner chooses.
    /// </summary>
    public int? PhoneOffAsk { get; private set; }

    /// <summary>After a save that turned phone sign-in off: how many clients (only a mobile on file) can no longer sign in.</summary>
    [BindProperty(SupportsGet = true, Name = "lockedOut")]
    public int? LockedOut { get; set; }

    /// <summary>"Turn email sign-in off" in the confirm step: the owner has read whom it shuts out and saves anyway.</summary>
    [BindProperty]
    public bool ConfirmEmailOff { get; set; }

    /// <summary>"Keep email sign-in on" in the confirm step: the rest of the form is saved with email sign-in still on.</summary>
    [BindProperty]
    public bool KeepEmailOn { get; set; }

    /// <summary>
    /// Set when a save would turn email sign-in off while clients have an email but no mobile they can sign in with: the
    /// page asks first, naming how many cannot sign in any more; nothing is saved until the owner chooses.
    /// </summary>
    public int? EmailOffAsk { get; private set; }

    /// <summary>After a save that turned email sign-in off: how many clients (no proven mobile) can no longer sign in.</summary>
    [BindProperty(SupportsGet = true, Name = "emailLockedOut")]
    public int? EmailLockedOut { get; set; }

    public PortalSettingsView Current { get; private set; } = null!;

    /// <summary>Each saved extra address and whether its person confirmed it (only those confirmed get the emails).</summary>
    public IReadOnlyList<ExtraAddressState> ExtraAddressStates { get; private set; } = [];

    /// <summary>
    /// What the saved settings refuse clients online that the portal and the client emails then send them to the business
    /// for ("… contact Paws &amp; Claws"), while the business gave no phone or email, so nothing says how (decision 336, widened
    /// by decision 340: review s40 #11 named late cancels and moves): cancelling at all (cancel access off) or inside a window
    /// that refuses, and changing an appointment's time at all (book or cancel access off, as the portal's move needs both)
    /// or inside the window (a move is refused inside it whether the window refuses cancels or takes requests). Empty while
    /// the business gave a phone or email, or nothing is refused.
    /// </summary>
    public IReadOnlyList<string> RefusedWithoutContact => Current.Contact.IsEmpty ? RefusedOnline(Current) : [];

    /// <summary>The things <paramref name="s"/> refuses online, in the words of "Clients can't …".</summary>
    public static IReadOnlyList<string> RefusedOnline(PortalSettingsView s)
    {
        var refused = new List<string>();
        var hours = s.CancellationPolicy.Hours;
        var within = hours > 0 ? $" within {Booking.BuildingBlocks.Time.NoticePeriod.Text(hours)} of the start" : "";
        if (!s.AccessLevels.Cancel)
        {
            refused.Add("cancel online");
        }
        else if (hours > 0 && s.CancellationPolicy.InsideWindow == "refuse")
        {
            refused.Add("cancel online" + within);
        }

        if (!s.AccessLevels.Book || !s.AccessLevels.Cancel)
        {
            refused.Add("change an appointment's time online");
        }
        else if (hours > 0)
        {
            refused.Add("change an appointment's time online" + within);
        }

        return refused;
    }

    /// <summary>Active diaries with no contact email (rooms or equipment, decision 280): no diary contact email goes out for them.</summary>
    public IReadOnlyList<string> DiariesWithoutContact { get; private set; } = [];

    /// <summary>After "Send again": the address a fresh confirmation went to.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SentTo { get; set; }

    /// <summary>Why "Send again" sent nothing (a limit, an address no longer waiting).</summary>
    public string? ConfirmationProblem { get; private set; }

    public IReadOnlyList<TemplateView> Templates { get; private set; } = [];

    /// <summary>"Ready to take bookings?": checked live on every load, so it follows the other setup pages' saves.</summary>
    public BookingReadiness Readiness { get; private set; } = null!;

    /// <summary>Who is emailed when a client books or cancels online, under the readiness list (decision 350).</summary>
    public BookingEmailsLine BookingEmails { get; private set; } = null!;

    public IReadOnlyList<ReadinessItem> ReadinessItems => ReadinessList.Items(Readiness);

    public string PortalUrl => BusinessUrls.For(origin, Business.Slug).Portal;

    /// <summary>The logo's versioned address: a new upload is a new address, so the page never shows a cached old logo.</summary>
    public string? LogoUrl => Current.Branding.LogoUrl("", Business.Slug);

    /// <summary>The HTML a business pastes into its website: a link styled as a button in its colour.</summary>
    public string ButtonSnippet =>
        $"<a href=\"{System.Net.WebUtility.HtmlEncode(PortalUrl)}\" style=\"display:inline-block;padding:12px 22px;border-radius:6px;"
        + $"background:{Current.Branding.Colour};color:{TextColourOn(Current.Branding.Colour)};font:600 16px/1.2 sans-serif;text-decoration:none\">Book online</a>";

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Settings = SettingsInput.From(Current);
        await LoadNotifyAsync(ct);
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken ct)
    {
        // What was posted is shown as the handler leaves it (Keep … on ticks a box again), but a number box that did not
        // read keeps its message and what was typed (decision 240).
        ModelState.ClearAllButErrorsOf("Settings.");
        if (KeepPhoneOn)
        {
            Settings.SignInWithPhone = true;
        }

        if (KeepEmailOn)
        {
            Settings.SignInWithEmail = true;
        }

        // A box left out or a value that did not read: nothing is asked or saved, and the other fields' problems show with it.
        if (SettingsFields.Unread(this) && await NumberBoxes.RefusedAsync(this, Settings.ToCommand(), SettingsFields.InputName, ct))
        {
            SettingsFields.UsePageWording(ModelState);
            await LoadAsync(ct);
            await LoadNotifyAsync(ct);
            return Page();
        }

        var before = (await sender.Send(new GetPortalSettings(), ct)).SignInMethods;
        // Both off is refused by the save itself (no client could sign in at all): nothing to ask about then.
        var oneLeft = Settings.SignInWithEmail || Settings.SignInWithPhone;
        if (oneLeft && before.Phone && !Settings.SignInWithPhone && !ConfirmPhoneOff && await sender.Send(new CountPhoneOnlyClients(), ct) is > 0 and var phoneOnly)
        {
            // Clients with only a mobile can sign in no other way: say how many before shutting them out.
            PhoneOffAsk = phoneOnly;
            await LoadAsync(ct);
            await LoadNotifyAsync(ct);
            return Page();
        }

        if (oneLeft && before.Email && !Settings.SignInWithEmail && !ConfirmEmailOff && await sender.Send(new CountEmailOnlyClients(), ct) is > 0 and var emailOnly)
        {
            // Clients with no mobile they can sign in with can sign in only by email: say how many before shutting them out.
            EmailOffAsk = emailOnly;
            await LoadAsync(ct);
            await LoadNotifyAsync(ct);
            return Page();
        }

        try
        {
            var saved = await sender.Send(Settings.ToCommand(), ct);
            var url = "/staff/setup/portal?saved=settings";
            if (before.Phone && saved.PhoneOnlyClientsLockedOut is > 0 and var lockedOut)
            {
                url += $"&lockedOut={lockedOut}";
            }

            if (before.Email && saved.EmailOnlyClientsLockedOut is > 0 and var emailLockedOut)
            {
                url += $"&emailLockedOut={emailLockedOut}";
            }

            return Redirect(url);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, SettingsFields.InputName))
        {
            SettingsFields.UsePageWording(ModelState);
            await LoadAsync(ct);
            await LoadNotifyAsync(ct);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostNotificationsAsync(CancellationToken ct)
    {
        // A template id that is no id (MVC read "abc" as no template, and "Standard text" was saved) or a picker left
        // out: nothing is sent, and the form's other problems show with it (decision 260).
        ModelState.ClearAllButErrorsOf("Notify.");
        try
        {
            if (NotifyFields.Unread(this) && await NumberBoxes.RefusedAsync(this, Notify.ToCommand(), NotifyFields.InputName, ct))
            {
                NotifyFields.UsePageWording(ModelState);
                return await NotifyRefusedAsync(ct);
            }

            await sender.Send(Notify.ToCommand(), ct);
            return Redirect("/staff/setup/portal?saved=notifications#notifications");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, NotifyFields.InputName))
        {
            NotifyFields.UsePageWording(ModelState);
            return await NotifyRefusedAsync(ct);
        }
    }

    private async Task<IActionResult> NotifyRefusedAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Settings = SettingsInput.From(Current);
        ExtraAddressStates = (await sender.Send(new GetNotificationSettings(), ct)).ExtraAddressesOnNew?.AddressStates ?? [];
        return Page();
    }

    /// <summary>"Send again" next to an extra address waiting for confirmation: a fresh confirmation email (3 a day per address).</summary>
    public async Task<IActionResult> OnPostSendConfirmationAsync(string? confirmAddress, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var state = await sender.Send(new ResendAddressConfirmation(confirmAddress), ct);
            return Redirect($"/staff/setup/portal?sentTo={Uri.EscapeDataString(state.Address)}#notifications");
        }
        catch (Booking.BuildingBlocks.Problems.ProblemException ex) when (ex.Status == StatusCodes.Status429TooManyRequests)
        {
            ConfirmationProblem = ex.Detail;
        }
        catch (FluentValidation.ValidationException ex)
        {
            ConfirmationProblem = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage));
        }

        return await ReloadAsync(ct);
    }

    private async Task LoadNotifyAsync(CancellationToken ct)
    {
        var view = await sender.Send(new GetNotificationSettings(), ct);
        Notify = NotifyInput.From(view);
        ExtraAddressStates = view.ExtraAddressesOnNew?.AddressStates ?? [];
    }

    public async Task<IActionResult> OnPostLogoAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            byte[]? content = null;
            if (Logo is not null)
            {
                await using var stream = Logo.OpenReadStream();
                content = await UploadLogo.ReadBoundedAsync(stream, ct);
            }

            await sender.Send(new UploadLogo(content), ct);
            return Redirect("/staff/setup/portal?saved=logo#branding");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, f => f == UploadLogoValidator.Field ? nameof(Logo) : f))
        {
            return await ReloadAsync(ct);
        }
    }

    public async Task<IActionResult> OnPostRemoveLogoAsync(CancellationToken ct)
    {
        await sender.Send(new RemoveLogo(), ct);
        return Redirect("/staff/setup/portal?saved=logo-removed#branding");
    }

    private async Task<IActionResult> ReloadAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Settings = SettingsInput.From(Current);
        await LoadNotifyAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = await sender.Send(new GetPortalSettings(), ct);
        Templates = (await sender.Send(new ListTemplates(), ct)).Items;
        Readiness = await sender.Send(new GetBookingReadiness(), ct);
        BookingEmails = await BookingEmailRecipients.ReadAsync(sender, ct);
        DiariesWithoutContact = (await sender.Send(new Booking.Roster.Contracts.GetDiaries(null), ct))
            .Where(d => d.Active && d.ContactEmail.Length == 0).Select(d => d.Name).ToList();
    }

    /// <summary>Black or white, whichever contrasts more with the colour (WCAG relative luminance).</summary>
    public static string TextColourOn(string hex)
    {
        if (hex is not { Length: 7 } || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            return "#ffffff";
        }

        static double Channel(int c)
        {
            var s = c / 255.0;
            return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }

        var l = (0.2126 * Channel((rgb >> 16) & 0xff)) + (0.7152 * Channel((rgb >> 8) & 0xff)) + (0.0722 * Channel(rgb & 0xff));
        return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
    }

    public sealed class SettingsInput
    {
        public bool Enabled { get; set; }

        public bool SignInWithEmail { get; set; }

        public bool SignInWithPhone { get; set; }

        public bool CanView { get; set; }

        public bool CanBook { get; set; }

        public bool CanCancel { get; set; }

        [NumberBox("Enter how many hours before the start clients may cancel, as a whole number, for example 24, or 0 for up to the start.")]
        public int? CancellationHours { get; set; }

        public string? CancellationText { get; set; }

        public string? InsideWindow { get; set; }

        public bool AcceptingNewClients { get; set; }

        public bool NewClientsNeedApproval { get; set; }

        public bool ShowPrices { get; set; }

        public bool BooksForPets { get; set; }

        public string? BookingInstructions { get; set; }

        public bool HasTerms { get; set; }

        public string? TermsText { get; set; }

        public string? Colour { get; set; }

        public string? ContactPhone { get; set; }

        public string? ContactEmail { get; set; }

        /// <summary>"12h", "24h", or empty for the country's usual clock.</summary>
        public string? TimeFormat { get; set; }

        /// <summary>The most upcoming appointments one client may hold through the portal (1–100).</summary>
        [NumberBox("Enter the most upcoming appointments one client may book online as a whole number from 1 to 100, for example 5.")]
        public int? MaxUpcomingBookingsPerClient { get; set; }

        /// <summary>The countries sign-in codes are texted to: ISO codes separated by commas or spaces ("GB, IE").</summary>
        public string? SmsCountries { get; set; }

        public static SettingsInput From(PortalSettingsView v) => new()
        {
            Enabled = v.Enabled,
            SignInWithEmail = v.SignInMethods.Email,
            SignInWithPhone = v.SignInMethods.Phone,
            CanView = v.AccessLevels.View,
            CanBook = v.AccessLevels.Book,
            CanCancel = v.AccessLevels.Cancel,
            CancellationHours = v.CancellationPolicy.Hours,
            CancellationText = v.CancellationPolicy.Text,
            InsideWindow = v.CancellationPolicy.InsideWindow,
            AcceptingNewClients = v.AcceptingNewClients,
            NewClientsNeedApproval = v.NewClientsNeedApproval,
            ShowPrices = v.ShowPrices,
            BooksForPets = v.BooksForPets,
            BookingInstructions = v.BookingInstructions,
            HasTerms = v.Terms is not null,
            TermsText = v.Terms?.Text,
            Colour = v.Branding.Colour,
            ContactPhone = v.Contact.PhoneDisplay,
            ContactEmail = v.Contact.Email,
            TimeFormat = v.TimeFormat ?? "",
            MaxUpcomingBookingsPerClient = v.MaxUpcomingBookingsPerClient,
            SmsCountries = string.Join(", ", v.SmsCountries),
        };

        public UpdatePortalSettings ToCommand() => new(
            Enabled,
            new SignInMethodsInput(SignInWithEmail, SignInWithPhone),
            new AccessLevelsInput(CanView, CanBook, CanCancel),
            new CancellationPolicyInput(CancellationHours, CancellationText ?? "", InsideWindow),
            AcceptingNewClients,
            NewClientsNeedApproval,
            ShowPrices,
            BooksForPets,
            BookingInstructions ?? "",
            HasTerms ? JsonSerializer.SerializeToElement(new { text = TermsText ?? "" }) : JsonSerializer.SerializeToElement<object?>(null),
            new BrandingInput(Colour),
            new BusinessContactInput(ContactPhone ?? "", ContactEmail ?? ""))
        {
            TimeFormat = JsonSerializer.SerializeToElement(string.IsNullOrEmpty(TimeFormat) ? null : TimeFormat),
            // An emptied box is the box's own message (NumberBox); 0 here only keeps null (the old value kept without a word) out.
            MaxUpcomingBookingsPerClient = MaxUpcomingBookingsPerClient ?? 0,
            // An emptied box is an empty list, refused with its words (null would keep the old list without a word).
            SmsCountries = (SmsCountries ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };

        public const string PageNoTermsText = "Enter the Terms & Conditions text, or untick \"Clients must accept Terms & Conditions to book\".";

        public const string PageBothSignInMethodsOff =
            "Clients need at least one way to sign in: keep \"Email address and password\" or \"Mobile phone and a code by SMS\" ticked. To close the portal to clients, untick \"Enable Client Portal\" instead.";

        /// <summary>The API's advice that names its JSON ("set terms to null", "set enabled to false") → advice about this form's boxes.</summary>
        public const string PageNoSmsCountries =
            "Enter at least one country code, e.g. GB. To text no codes at all, untick \"Mobile phone and a code by SMS\".";

        public const string PageBadInsideWindow = "Choose what happens inside that time: refuse the cancellation, or let the client ask.";

        public const string PageBadTimeFormat = "Choose how to show times of day: your country's usual clock, the 12-hour clock or the 24-hour clock.";

        public const string PageBadColour = "Choose a background colour.";
    }

    /// <summary>The settings form's fields: the API's paths by the page's inputs, and the page's words (decision 260).</summary>
    public static readonly FormFields SettingsFields = new(
        "Settings.",
        typeof(SettingsInput),
        new FormField(nameof(SettingsInput.SignInWithEmail), "signInMethods")
        {
            Rewords = new Dictionary<string, string> { [UpdatePortalSettingsValidator.BothSignInMethodsOff] = SettingsInput.PageBothSignInMethodsOff },
        },
        new FormField(nameof(SettingsInput.CanView), "accessLevels.view"),
        new FormField(nameof(SettingsInput.CanBook), "accessLevels.book"),
        new FormField(nameof(SettingsInput.CanCancel), "accessLevels.cancel"),
        new FormField(nameof(SettingsInput.CancellationHours), "cancellationPolicy.hours"),
        new FormField(nameof(SettingsInput.CancellationText), "cancellationPolicy.text"),
        new FormField(nameof(SettingsInput.InsideWindow), "cancellationPolicy.insideWindow")
        {
            Choose = SettingsInput.PageBadInsideWindow,
            Missing = SettingsInput.PageBadInsideWindow,
        },
        new FormField(nameof(SettingsInput.TermsText), "terms")
        {
            Rewords = new Dictionary<string, string> { [UpdatePortalSettingsValidator.NoTermsText] = SettingsInput.PageNoTermsText },
        },
        new FormField(nameof(SettingsInput.Colour), "branding") { Choose = SettingsInput.PageBadColour, Missing = SettingsInput.PageBadColour },
        new FormField(nameof(SettingsInput.ContactPhone), "contact.phone"),
        new FormField(nameof(SettingsInput.ContactEmail), "contact.email"),
        new FormField(nameof(SettingsInput.TimeFormat), "timeFormat") { Choose = SettingsInput.PageBadTimeFormat, Missing = SettingsInput.PageBadTimeFormat },
        new FormField(nameof(SettingsInput.SmsCountries), "smsCountries")
        {
            Rewords = new Dictionary<string, string> { [UpdatePortalSettingsValidator.NoSmsCountries] = SettingsInput.PageNoSmsCountries },
        });

    public const string PageBadTemplate = "Choose a template from the list, or Standard text. The one sent is not one of your templates (it may have been deleted).";

    /// <summary>The notification form's fields: the three template pickers are selects, so any refusal is the page's one sentence.</summary>
    public static readonly FormFields NotifyFields = new(
        "Notify.",
        typeof(NotifyInput),
        new FormField(nameof(NotifyInput.OnNewTemplateId), "notifyDiaryContactOnNew") { Choose = PageBadTemplate, Missing = PageBadTemplate },
        new FormField(nameof(NotifyInput.OnCancelledTemplateId), "notifyDiaryContactOnCancelled") { Choose = PageBadTemplate, Missing = PageBadTemplate },
        new FormField(nameof(NotifyInput.ExtraTemplateId), "extraAddressesOnNew.templateId") { Choose = PageBadTemplate, Missing = PageBadTemplate },
        new FormField(nameof(NotifyInput.ExtraAddresses), "extraAddressesOnNew"),
        new FormField(nameof(NotifyInput.IncludeStaffChanges), "includeStaffChanges"));

    public sealed class NotifyInput
    {
        public bool OnNewEnabled { get; set; }

        public Guid? OnNewTemplateId { get; set; }

        public bool OnCancelledEnabled { get; set; }

        public Guid? OnCancelledTemplateId { get; set; }

        /// <summary>One address per line (commas and semicolons also split).</summary>
        public string? ExtraAddresses { get; set; }

        public Guid? ExtraTemplateId { get; set; }

        public bool IncludeStaffChanges { get; set; }

        public static NotifyInput From(NotificationSettingsView v) => new()
        {
            OnNewEnabled = v.NotifyDiaryContactOnNew?.Enabled ?? false,
            OnNewTemplateId = v.NotifyDiaryContactOnNew?.TemplateId,
            OnCancelledEnabled = v.NotifyDiaryContactOnCancelled?.Enabled ?? false,
            OnCancelledTemplateId = v.NotifyDiaryContactOnCancelled?.TemplateId,
            ExtraAddresses = string.Join('\n', v.ExtraAddressesOnNew?.Addresses ?? []),
            ExtraTemplateId = v.ExtraAddressesOnNew?.TemplateId,
            IncludeStaffChanges = v.IncludeStaffChanges ?? false,
        };

        public PutNotificationSettings ToCommand() => new(
            new DiaryContactNotification(OnNewEnabled, OnNewTemplateId),
            new DiaryContactNotification(OnCancelledEnabled, OnCancelledTemplateId),
            new ExtraAddressesNotification(
                (ExtraAddresses ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ExtraTemplateId),
            IncludeStaffChanges);
    }
}
