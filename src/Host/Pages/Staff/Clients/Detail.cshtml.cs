using Booking.Appointments.Contracts;
using Booking.Appointments.Features.ClientAppointments;
using Booking.BuildingBlocks.Phones;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Pages.Staff.Diary;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Booking.PortalAuth.Features.Merge;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients/{id}: one client, their pets on file and the pets removed (with when); owners and admins approve a client
/// awaiting approval, restore a removed pet and change the client's details (ChangeClient, as PUT /api/v1/admin/clients/{id}).
/// Where the business books for pets, staff add a pet (AddClientPet), edit one (ClientPet page) and remove one (RemoveClientPet).
/// Their appointments, upcoming and past (GetClientAppointments, as GET /api/v1/admin/clients/{id}/appointments).
/// </summary>
public sealed class DetailModel(ISender sender, TimeProvider clock) : StaffPageModel
{

    [FromRoute]
    public Guid Id { get; set; }

    public AdminClient Client { get; private set; } = null!;

    /// <summary>The client's appointments, the default 50 upcoming and 50 past.</summary>
    public ClientAppointmentsView Appointments { get; private set; } = null!;

    public DiaryTime Time => new(Business.TimeZone, clock, TimeFormat, Dates);

    /// <summary>
    /// The client's email's latest bounce (a mail server refused it for good, nothing sent to it since: Notifications'
    /// GetAddressBounces, decision 336); null when it has not bounced or there is no email.
    /// </summary>
    public Booking.Notifications.Contracts.AddressBounce? EmailBounce { get; private set; }

    /// <summary>Other clients who may be the same person (FindDuplicateClients, at most 5), each linking to the Merge page.</summary>
    public IReadOnlyList<DuplicateClient> Duplicates { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    /// <summary>"Merge with another client…" (decision 314): the staff client search's words, on a GET; null when not searching.</summary>
    [FromQuery(Name = "mergeSearch")]
    public string? MergeSearch { get; set; }

    /// <summary>The search's matches but this client (ListAdminClients, at most <see cref="MergeSearchLimit"/>), each linking to the Merge page.</summary>
    public IReadOnlyList<AdminClient> MergeCandidates { get; private set; } = [];

    /// <summary>The search's refusal (too long, control characters), in the validator's words.</summary>
    public string? MergeSearchError { get; private set; }

    public const int MergeSearchLimit = 10;

    /// <summary>The Add a pet form: empty, or as posted after a failed add.</summary>
    [BindProperty]
    public PetInput NewPet { get; set; } = new();

    /// <summary>The business books appointments for pets (Setup → Client Portal): only then can staff add, edit and remove pets.</summary>
    public bool BooksForPets { get; private set; }

    /// <summary>The Edit details form: the client's details as on file, or as posted after a failed save.</summary>
    [BindProperty]
    public ClientDetailsInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can approve clients.");
        }

        try
        {
            var client = await sender.Send(new ApproveClient(Id), ct);
            Notice = $"{client.Name} is approved: their next portal bookings are confirmed straight away.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return await MergedAwayAsync(null, "whether they still need approving", ct) ?? NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>Puts a removed pet back on file (RestoreClientPet, as POST /api/v1/admin/clients/{id}/pets/{petId}/restore).</summary>
    public async Task<IActionResult> OnPostRestoreAsync([FromForm] Guid petId, CancellationToken ct)
    {
        if (!CanChangeSetup)
        {
            return Stopped(403, "Not available to your role", "Only the business's owner and admins can restore pets.");
        }

        try
        {
            var pet = await sender.Send(new RestoreClientPet(Id, petId), ct);
            Notice = $"{pet.Name} is on file again and can be booked.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 409 && KeptClientOf(ex) is { } kept)
        {
            return await MergedAwayAsync(kept, Pets, ct) ?? NotFoundPage();
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            // The client is gone: merged into another record meanwhile (its page, saying so), or never this business's
            // (another business's id answers the same); a pet that is not theirs is said on the page.
            if (!await LoadAsync(ct))
            {
                return await MergedAwayAsync(null, Pets, ct) ?? NotFoundPage();
            }

            ModelState.AddModelError(string.Empty, "That pet is not one of this client's removed pets.");
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>Adds a pet for the client (AddClientPet, as POST /api/v1/admin/clients/{id}/pets): the portal's pet rules.</summary>
    public async Task<IActionResult> OnPostAddPetAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var pet = await sender.Send(new AddClientPet(Id, NewPet.Name, NewPet.Species, NewPet.Breed, NewPet.Notes), ct);
            Notice = $"{pet.Name} is added to the client's pets and can be booked.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return await MergedAwayAsync(null, Pets, ct) ?? NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, PetInput.InputName("NewPet")))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>Removes one of the client's pets (RemoveClientPet, as DELETE /api/v1/admin/clients/{id}/pets/{petId}); Restore puts it back.</summary>
    public async Task<IActionResult> OnPostRemovePetAsync([FromForm] Guid petId, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var name = (await sender.Send(new GetAdminClient(Id), ct)).Pets.FirstOrDefault(p => p.Id == petId)?.Name;
            await sender.Send(new RemoveClientPet(Id, petId), ct);
            Notice = $"{name ?? "The pet"} is removed: no longer offered when booking. Appointments made for it still name it, and Restore puts it back.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 409 && KeptClientOf(ex) is { } kept)
        {
            return await MergedAwayAsync(kept, Pets, ct) ?? NotFoundPage();
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            // The client is gone: merged into another record meanwhile (its page, saying so), or never this business's
            // (another business's id answers the same); a pet that is not theirs is said on the page.
            if (!await LoadAsync(ct))
            {
                return await MergedAwayAsync(null, Pets, ct) ?? NotFoundPage();
            }

            ModelState.AddModelError(string.Empty, "That pet is not one of this client's pets on file.");
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => string.Empty))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var client = await sender.Send(new ChangeClient(Id, Input.FirstName, Input.LastName, Input.Email, Input.Mobile) { OtherPhone = Input.OtherPhone ?? "" }, ct);
            Notice = $"{client.Name}'s details are saved.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return await MergedAwayAsync(null, "their details", ct) ?? NotFoundPage();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, ClientDetailsInput.InputName))
        {
            return await LoadAsync(ct, keepInput: true) ? Page() : NotFoundPage();
        }
    }

    /// <param name="keepInput">The Edit details form shows what was posted (a failed save), not what is on file.</param>
    private async Task<bool> LoadAsync(CancellationToken ct, bool keepInput = false)
    {
        try
        {
            Client = await sender.Send(new GetAdminClient(Id), ct);
            Appointments = await sender.Send(new GetClientAppointments(Id, null), ct);
            Duplicates = (await sender.Send(new FindDuplicateClients(Id), ct)).Items;
            EmailBounce = Client.Email is { } email
                ? (await sender.Send(new Booking.Notifications.Contracts.GetAddressBounces([email]), ct)).FirstOrDefault()
                : null;
            BooksForPets = (await sender.Send(new GetPortalSettings(), ct)).BooksForPets;
            MergeSearch = string.IsNullOrWhiteSpace(MergeSearch) || HttpMethods.IsPost(Request.Method) ? null : MergeSearch.Trim();
            if (MergeSearch is not null)
            {
                try
                {
                    MergeCandidates = (await sender.Send(new ListAdminClients(MergeSearch, MergeSearchLimit + 1, null), ct)).Items
                        .Where(r => r.Id != Id).Take(MergeSearchLimit).ToList();
                }
                catch (FluentValidation.ValidationException ex)
                {
                    MergeSearchError = ex.Errors.FirstOrDefault()?.ErrorMessage ?? "Check the search.";
                }
            }
            if (!keepInput)
            {
                // The mobile as the page shows it ("07700 900123"): the save reads it back with the business's country.
                Input = new ClientDetailsInput { FirstName = Client.FirstName, LastName = Client.LastName, Email = Client.Email, Mobile = PhoneDisplay.Format(Client.Mobile, Business.CountryCode),
                    OtherPhone = PhoneDisplay.Format(Client.OtherPhone, Business.CountryCode) };
            }

            return true;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private IActionResult NotFoundPage() => Stopped(404, "Client not found", "This business has no such client.");

    private const string Pets = "the pets";

    /// <summary>The kept record a 409 names (<c>keptClientId</c>, decision 307); null for any other 409.</summary>
    private static Guid? KeptClientOf(ProblemException ex) =>
        ex.Extensions.TryGetValue("keptClientId", out var kept) ? kept as Guid? : null;

    /// <summary>
    /// A form posted on this page after the client was merged into another record (decision 307: the merge deletes the
    /// merged-away record, so its id answers 404, or a pet write's 409 <c>client-merged</c> names the kept one): nothing
    /// was changed, and staff land on the kept client's page, told so and what to check there (<paramref name="what"/>)
    /// before trying again, as the pet page says it (decision 317). <paramref name="kept"/> as the answer named it, else
    /// Appointments' record of merges (<see cref="FindKeptClient"/>, the record it is in now). Null when the client was
    /// never merged away (a missing or another business's id: the not-found page, as before).
    /// </summary>
    private async Task<IActionResult?> MergedAwayAsync(Guid? kept, string what, CancellationToken ct)
    {
        if ((kept ?? await sender.Send(new FindKeptClient(Id), ct)) is not { } keptId)
        {
            return null;
        }

        string name;
        try
        {
            name = (await sender.Send(new GetAdminClient(keptId), ct)).Name;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return null;
        }

        Notice = $"This client was merged into {name}; nothing was changed. Check {what} here and try again.";
        return Redirect($"/staff/clients/{keptId}");
    }
}

/// <summary>A pet's fields on the staff pages (the Add a pet form, the pet's edit page), as the portal's pet forms ask them.</summary>
public sealed class PetInput
{
    public string? Name { get; set; }

    public string? Species { get; set; }

    public string? Breed { get; set; }

    public string? Notes { get; set; }

    /// <summary>The API's field name ("name") as the form's input name ("NewPet.Name").</summary>
    public static Func<string, string> InputName(string prefix) =>
        field => field.Length == 0 ? field : prefix + "." + char.ToUpperInvariant(field[0]) + field[1..];
}
