using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Features.Clients;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Clients;

/// <summary>
/// /staff/clients/{id}/pets/{petId}: staff edit one of a client's pets on file (ChangeClientPet, as PUT
/// /api/v1/admin/clients/{id}/pets/{petId}; the portal's pet rules). Only where the business books for pets. Another
/// client's or another business's pet, a removed or a missing one: the not-found page, alike.
/// </summary>
public sealed class ClientPetModel(ISender sender) : StaffPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [FromRoute]
    public Guid PetId { get; set; }

    public AdminClient Client { get; private set; } = null!;

    public AdminPet Pet { get; private set; } = null!;

    public bool BooksForPets { get; private set; }

    [BindProperty]
    public PetInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFoundPage();
        }

        Input = new PetInput { Name = Pet.Name, Species = Pet.Species, Breed = Pet.Breed, Notes = Pet.Notes };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            var pet = await sender.Send(new ChangeClientPet(Id, PetId, Input.Name, Input.Species, Input.Breed, Input.Notes), ct);
            TempData["Notice"] = $"{pet.Name}'s details are saved.";
            return Redirect($"/staff/clients/{Id}");
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }
        catch (ProblemException ex) when (ex.Status == 409 && KeptClientOf(ex) is { } kept)
        {
            return await MergedMeanwhileAsync(kept, ct);
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, PetInput.InputName("Input")))
        {
            return await LoadAsync(ct) ? Page() : NotFoundPage();
        }
    }

    /// <summary>
    /// The record staff opened the page on was merged into <see cref="Client"/> before the save (decision 307: 409
    /// <c>changed-meanwhile</c>, <c>client-merged</c>); nothing was saved. Set on that answer only, else null.
    /// </summary>
    public string? MergedNotice { get; private set; }

    /// <summary>After a merge, whether the pet is on file in the kept record (false: combined with or set aside beside one of the same name).</summary>
    public bool PetOnFile { get; private set; } = true;

    /// <summary>The kept record a 409 names (<c>keptClientId</c>); null for any other 409 (two saves at once).</summary>
    private static Guid? KeptClientOf(ProblemException ex) =>
        ex.Extensions.TryGetValue("keptClientId", out var kept) ? kept as Guid? : null;

    /// <summary>
    /// A save answered 409 because the client was merged away meanwhile (decision 317): the page stays, nothing saved,
    /// and says so. The pet moved with the merge, so where it is on file in the kept record the form stays as typed and
    /// now saves there (its action is the kept record's pet page); where the merge combined it with the kept record's
    /// pet of that name or set it aside as removed, there is no form, only the kept record's page to go to.
    /// </summary>
    private async Task<IActionResult> MergedMeanwhileAsync(Guid kept, CancellationToken ct)
    {
        ModelState.Clear();
        try
        {
            Client = await sender.Send(new GetAdminClient(kept), ct);
            BooksForPets = (await sender.Send(new GetPortalSettings(), ct)).BooksForPets;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return NotFoundPage();
        }

        try
        {
            Pet = await sender.Send(new GetClientPet(kept, PetId), ct);
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            PetOnFile = false; // the page shows no form and no pet, only the notice and the kept record's link
        }

        MergedNotice = PetOnFile
            ? $"Nothing was saved: while you were editing, this client's record was merged into {Client.Name}'s, which has this pet now. "
              + $"Your changes are still below: check them and press Save pet to save them in {Client.Name}'s record."
            : $"Nothing was saved: while you were editing, this client's record was merged into {Client.Name}'s, and this pet is not on file there "
              + $"(the merge combined it with, or set it aside beside, {Client.Name}'s pet of the same name). Open {Client.Name}'s record to see their pets and change the one you meant.";
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        try
        {
            Client = await sender.Send(new GetAdminClient(Id), ct);
            Pet = await sender.Send(new GetClientPet(Id, PetId), ct);
            BooksForPets = (await sender.Send(new GetPortalSettings(), ct)).BooksForPets;
            return true;
        }
        catch (ProblemException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private IActionResult NotFoundPage() => Stopped(404, "Pet not found", "This client has no such pet on file.");
}
