import RCMCore
import X12

/// The scrub's edits for a payer whose claims go as X12 837P files: what keeps the claim from
/// being written (``ProfessionalClaimMapping``: a missing address, a code an 837P cannot bill, too
/// many diagnoses…), and a pre-authorisation the payer's configuration asks for, which RCM can
/// neither request over X12 (no 278 transaction) nor send (no REF*G1 in 2300) yet — each an error finding that stops the claim before it
/// is sent, with the field to correct.
public enum X12ClaimEdits {
    public static func findings(
        _ stored: StoredClaim, payer: PayerConfiguration, receiver: PayerTransport.X12Receiver
    ) -> [ClaimFinding] {
        var findings: [ClaimFinding] = []
        do {
            findings += try ProfessionalClaimMapping.claim(stored, payerID: receiver.payerID).warnings
        } catch let error as ClaimIntakeError {
            findings += error.findings
        } catch {
            findings.append(ClaimFinding(.error, field: "Claim", "the claim cannot be written as an 837P: \(error)"))
        }
        if let reason = payer.preauthorizationReason(for: stored.claim) {
            findings.append(
                ClaimFinding(
                    .error, field: "Claim.insurance[0].preAuthRef",
                    "\(reason); RCM neither requests pre-authorisation from an X12 payer (no 278) nor sends its "
                        + "reference (REF*G1) yet: bill this claim outside RCM, or set the payer to --transport hcx"))
        }
        return findings
    }
}
