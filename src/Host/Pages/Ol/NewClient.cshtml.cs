using Booking.Host.Web;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Booking.Host.Pages.Ol;

/// <summary>After a verified unknown phone: the client's details (and their pets, one row each, where the business books for pets).</summary>
public sealed class NewClientModel(NewClientTicket ticket) : PortalPageModel
{
    protected override bool ReadsSession => false;

    protected override bool ForNewClients => true;

    [BindProperty]
    public NewClientInput Input { get; set; } = new();

    /// <summary>
    /// Where the visitor was going before signing in by phone (the confirm page of the time they chose): followed after
    /// the details are saved, so the first booking request is for that time. Only this business's portal pages.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>No verified phone in this browser: start at the phone page.</summary>
    public bool NoTicket { get; private set; }

    /// <summary>
    /// The masked email of a client who typed this mobile at email registration without proving it (most likely the
    /// person here): the page says so and offers to sign in there; going on as a new client needs <see cref="NewClientInput.NotThatAccount"/>.
    /// </summary>
    public string? ClaimedByEmail { get; private set; }

    /// <summary>The time the visitor chose (its confirm page), when the return address passes <see cref="PortalReturnUrl"/>.</summary>
    public string? ChosenTime => ReturnTo(ReturnUrl);

    /// <summary>
    /// "Sign in with your email": back to the time the visitor chose when there is one (the mobile can be proven under
    /// Your details later), else on to proving the mobile there.
    /// </summary>
    public string SignInWithEmailUrl => PortalUrl("/ol/sign-in", ("returnUrl", ChosenTime ?? PortalUrl("/ol/account/mobile")));

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var attempt = ticket.Read(HttpContext, Business.Id);
        NoTicket = attempt is null;
        await ReadBookabilityAsync(cancellationToken);
        ClaimedByEmail = attempt is null ? null : await Sender.Send(new GetNewClientClaim(attempt), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var attempt = ticket.Read(HttpContext, Business.Id);
        if (attempt is null)
        {
            NoTicket = true;
            return Page();
        }

        ClaimedByEmail = await Sender.Send(new GetNewClientClaim(attempt), cancellationToken);
        await ReadBookabilityAsync(cancellationToken);
        if (Settings.BooksForPets && RowChange is not null)
        {
            // "Add another pet" or a row's Remove (no script needed): the form again, as typed, with the rows changed.
            ChangeRows(RowChange);
            return Page();
        }

        // Where the business books for pets every row is sent as typed, blank name and all: the command says what is
        // missing, with the other fields' errors, in one answer; a bad row saves nothing (one transaction).
        var rows = Settings.BooksForPets ? Input.Pets : [];
        var pets = rows.Select(p => new NewPet(p.Name, p.Species, p.Breed, p.Notes)).ToList();
        try
        {
            var client = await Sender.Send(new NewClient(Input.FirstName, Input.LastName, Input.Email, pets, Input.NotThatAccount) { AttemptId = attempt }, cancellationToken);
            NewClientTicket.Clear(HttpContext);
            // Nothing bookable now: the first-request limit does not hold (FirstRequestOwed), so the landing page, which
            // says booking isn't open and offers what the client may do, is the place to go.
            await PortalSessions.SignInAsync(HttpContext, Business.Id, client.Id, awaitingFirstRequest: !NothingToBook, hasPassword: false, PortalSessions.ByPhone, securityStamp: 0); // a row this request made
            if (NothingToBook)
            {
                return Redirect(Home());
            }

            // The pet the first booking is for, chosen among several: carried to the confirm page's "For" (decision 267).
            var pet = rows.Count > 1 ? await FirstForAsync(client.Id, cancellationToken) : null;
            return Redirect(ReturnTo(ReturnUrl) is { } chosen
                ? pet is null ? chosen : QueryHelpers.AddQueryString(chosen, "pet", pet)
                : PortalUrl("/ol/new-booking", ("welcome", "1"), ("pet", pet)));
        }
        catch (Exception ex) when (AddProblems(ex))
        {
            return Page();
        }
    }

    /// <summary>Most pets the form offers rows for ("Add another pet" stops there); the API takes up to <see cref="PetRules.MaxPerNewClient"/>.</summary>
    public const int MaxPetRows = 10;

    /// <summary>"add", or "remove-{row index}": the row button pressed (<see cref="ChangeRows"/>); none for the form's own submit.</summary>
    [BindProperty(Name = "rows")]
    public string? RowChange { get; set; }

    /// <summary>The row whose name field takes focus when the form is shown again after a row was added or removed.</summary>
    public int? FocusRow { get; private set; }

    /// <summary>Rows are named ("Pet 2") and their errors say so only when there are several.</summary>
    public bool SeveralPets => Input.Pets.Count > 1;

    /// <summary>The row shown first: the pet the first booking is for (a row's index), when it is one of the rows.</summary>
    public int FirstFor => Input.FirstFor is { } i && i >= 0 && i < Input.Pets.Count ? i : 0;

    /// <summary>Asked only where there is a first booking to make and more than one pet it could be for.</summary>
    public bool AsksFirstFor => SeveralPets && !NothingToBook;

    private void ChangeRows(string change)
    {
        // The form is drawn from the rows as changed, not from the posted values (their indexes moved).
        ModelState.Clear();
        if (change == "add")
        {
            if (Input.Pets.Count < MaxPetRows)
            {
                Input.Pets.Add(new PetRow());
            }

            FocusRow = Input.Pets.Count - 1;
        }
        else if (change.StartsWith("remove-", StringComparison.Ordinal)
            && int.TryParse(change["remove-".Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var gone)
            && gone < Input.Pets.Count && Input.Pets.Count > 1)
        {
            var first = FirstFor;
            Input.Pets.RemoveAt(gone);
            Input.FirstFor = first == gone ? 0 : first > gone ? first - 1 : first;
            FocusRow = Math.Min(gone, Input.Pets.Count - 1);
        }
    }

    /// <summary>
    /// The problems of the command on the form: "pets[1].name" → "Input.Pets[1].Name", said "Pet 2: …" where the form has
    /// several rows (next to the field and in the error summary alike).
    /// </summary>
    private bool AddProblems(Exception ex)
    {
        var problems = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        if (!problems.TryAdd(ex, PetField))
        {
            return false;
        }

        foreach (var (key, entry) in problems)
        {
            foreach (var error in entry.Errors)
            {
                ModelState.AddModelError(key, RowOf(key) is { } row && SeveralPets ? $"Pet {row + 1}: {error.ErrorMessage}" : error.ErrorMessage);
            }
        }

        if (Input.Pets.Count == 0)
        {
            Input.Pets.Add(new PetRow()); // a post without rows (a form from before the rows): one to fill in
        }

        return true;
    }

    /// <summary>"pets" (none given, or more than the API takes) is said over the rows (<c>#Input_Pets</c>).</summary>
    private static string PetField(string field) => field == "pets" ? "Input.Pets" : PageProblems.DefaultInputName(field);

    private static int? RowOf(string key) =>
        key.StartsWith("Input.Pets[", StringComparison.Ordinal) && key.IndexOf(']', StringComparison.Ordinal) is > 11 and var end
        && int.TryParse(key[11..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var row)
            ? row
            : null;

    /// <summary>The id of the pet the first booking is for (the chosen row's, found by its name, unique to the client), or null.</summary>
    private async Task<string?> FirstForAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var name = Input.Pets[FirstFor].Name?.Trim();
        var me = await Sender.Send(new GetPortalMe(clientId), cancellationToken);
        return me.Pets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Id.ToString();
    }

    public sealed class NewClientInput
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? Email { get; set; }

        /// <summary>The pets, one row each (one to start with; "Add another pet" adds one, up to <see cref="MaxPetRows"/>).</summary>
        public List<PetRow> Pets { get; set; } = [new()];

        /// <summary>The row (index) of the pet the first booking is for, where there are several; the first row otherwise.</summary>
        public int? FirstFor { get; set; }

        /// <summary>"That account is not mine": shown only when the number is another client's unproven claim.</summary>
        public bool NotThatAccount { get; set; }
    }

    /// <summary>One pet's row: the fields the Pets page has, by the same rules (<see cref="PetRules"/>).</summary>
    public sealed class PetRow
    {
        public string? Name { get; set; }

        public string? Species { get; set; }

        public string? Breed { get; set; }

        public string? Notes { get; set; }
    }
}
