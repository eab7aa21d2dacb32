"""Security-instrument boilerplate that fills the middle pages of a long deed of trust or mortgage.

Written for the generator: covenant headings and sentences in the register of uniform
instruments, assembled at random so no two documents carry the same text. They contain no
value a title analyst keys, which is what makes them realistic noise for the rules.
"""

from __future__ import annotations

import random

HEADINGS = (
    "Payment of Principal, Interest, Escrow Items, Prepayment Charges, and Late Charges",
    "Application of Payments or Proceeds",
    "Funds for Escrow Items",
    "Charges; Liens",
    "Property Insurance",
    "Occupancy",
    "Preservation, Maintenance and Protection of the Property; Inspections",
    "Borrower's Loan Application",
    "Protection of Lender's Interest in the Property and Rights Under this Security Instrument",
    "Leaseholds",
    "Mortgage Insurance",
    "Assignment of Miscellaneous Proceeds; Forfeiture",
    "Borrower Not Released; Forbearance By Lender Not a Waiver",
    "Joint and Several Liability; Co-signers; Successors and Assigns Bound",
    "Loan Charges",
    "Notices",
    "Governing Law; Severability; Rules of Construction",
    "Borrower's Copy",
    "Transfer of the Property or a Beneficial Interest in Borrower",
    "Borrower's Right to Reinstate After Acceleration",
    "Sale of Note; Change of Loan Servicer; Notice of Grievance",
    "Hazardous Substances",
    "Acceleration; Remedies",
    "Reconveyance",
    "Substitute Trustee",
    "Statement of Obligation Fee",
)
SENTENCES = (
    "Borrower shall pay when due the principal of, and interest on, the debt evidenced by the Note and any late "
    "charges due under the Note.",
    "Payments due under the Note and this Security Instrument shall be made in U.S. currency, by check, money order, "
    "or electronic funds transfer drawn upon an institution whose deposits are insured by a federal agency.",
    "Payments are deemed received by Lender when received at the location designated in the Note or at such other "
    "location as Lender may designate in accordance with the notice provisions of this Security Instrument.",
    "Lender may return any payment or partial payment if the payment or partial payments are insufficient to bring "
    "the Loan current, without waiver of any rights hereunder or prejudice to its rights to refuse such payment.",
    "No offset or claim which Borrower might have now or in the future against Lender shall relieve Borrower from "
    "making payments due under the Note and this Security Instrument.",
    "Except as otherwise described in this Section, all payments accepted and applied by Lender shall be applied in "
    "the following order of priority: interest due under the Note, principal due under the Note, and amounts due "
    "for escrow items.",
    "Any application of payments, insurance proceeds, or miscellaneous proceeds to principal due under the Note shall "
    "not extend or postpone the due date, or change the amount, of the periodic payments.",
    "Borrower shall pay to Lender on the day periodic payments are due a sum to provide for payment of taxes and "
    "assessments and other items which can attain priority over this Security Instrument as a lien on the Property.",
    "Lender shall estimate the amount of funds due on the basis of current data and reasonable estimates of "
    "expenditures of future escrow items or otherwise in accordance with applicable law.",
    "Lender shall not charge Borrower for holding and applying the funds, annually analyzing the escrow account, or "
    "verifying the escrow items, unless Lender pays Borrower interest on the funds.",
    "Borrower shall promptly discharge any lien which has priority over this Security Instrument unless Borrower "
    "agrees in writing to the payment of the obligation secured by the lien in a manner acceptable to Lender.",
    "Borrower shall keep the improvements now existing or hereafter erected on the Property insured against loss by "
    "fire, hazards included within the term extended coverage, and any other hazards for which Lender requires "
    "insurance.",
    "All insurance policies required by Lender and renewals of such policies shall be subject to Lender's right to "
    "disapprove such policies and shall include a standard mortgage clause naming Lender as mortgagee.",
    "In the event of loss, Borrower shall give prompt notice to the insurance carrier and Lender, and Lender may make "
    "proof of loss if not made promptly by Borrower.",
    "Borrower shall occupy, establish, and use the Property as Borrower's principal residence within sixty days "
    "after the execution of this Security Instrument and shall continue to occupy the Property for at least one year.",
    "Borrower shall not destroy, damage or impair the Property, allow the Property to deteriorate or commit waste on "
    "the Property.",
    "Lender or its agent may make reasonable entries upon and inspections of the Property, giving Borrower notice at "
    "the time of or prior to such an interior inspection specifying such reasonable cause.",
    "Borrower shall be in default if, during the loan application process, Borrower gave materially false, "
    "misleading, or inaccurate information or statements to Lender in connection with the Loan.",
    "If Borrower fails to perform the covenants and agreements contained in this Security Instrument, then Lender "
    "may do and pay for whatever is reasonable or appropriate to protect Lender's interest in the Property.",
    "Any amounts disbursed by Lender under this Section shall become additional debt of Borrower secured by this "
    "Security Instrument and shall bear interest at the Note rate from the date of disbursement.",
    "If this Security Instrument is on a leasehold, Borrower shall comply with all the provisions of the lease and "
    "shall not surrender the leasehold estate and interests herein conveyed without the express written consent of "
    "Lender.",
    "If Lender required mortgage insurance as a condition of making the Loan, Borrower shall pay the premiums "
    "required to maintain the mortgage insurance in effect.",
    "All miscellaneous proceeds are hereby assigned to and shall be paid to Lender and shall be applied to the sums "
    "secured by this Security Instrument, whether or not then due, with the excess, if any, paid to Borrower.",
    "Extension of the time for payment or modification of amortization of the sums secured by this Security "
    "Instrument granted by Lender to Borrower shall not operate to release the liability of Borrower.",
    "Any forbearance by Lender in exercising any right or remedy shall not be a waiver of or preclude the exercise of "
    "any right or remedy.",
    "Borrower covenants and agrees that Borrower's obligations and liability shall be joint and several.",
    "Lender may charge Borrower fees for services performed in connection with Borrower's default, for the purpose "
    "of protecting Lender's interest in the Property and rights under this Security Instrument.",
    "All notices given by Borrower or Lender in connection with this Security Instrument must be in writing and shall "
    "be deemed to have been given when mailed by first class mail or when actually delivered.",
    "This Security Instrument shall be governed by federal law and the law of the jurisdiction in which the Property "
    "is located.",
    "In the event that any provision or clause of this Security Instrument or the Note conflicts with applicable law, "
    "such conflict shall not affect other provisions which can be given effect without the conflicting provision.",
    "As used in this Security Instrument, words of the masculine gender shall mean and include corresponding neuter "
    "words or words of the feminine gender, and words in the singular shall mean and include the plural.",
    "If all or any part of the Property or any interest in the Property is sold or transferred without Lender's prior "
    "written consent, Lender may require immediate payment in full of all sums secured by this Security Instrument.",
    "If Borrower meets certain conditions, Borrower shall have the right to have enforcement of this Security "
    "Instrument discontinued at any time prior to the earliest of five days before sale of the Property.",
    "The Note or a partial interest in the Note together with this Security Instrument can be sold one or more times "
    "without prior notice to Borrower.",
    "Borrower shall not cause or permit the presence, use, disposal, storage, or release of any hazardous substances "
    "on or in the Property, nor allow anyone else to do so.",
    "Lender shall give notice to Borrower prior to acceleration following Borrower's breach of any covenant or "
    "agreement in this Security Instrument, specifying the default and the action required to cure it.",
    "If the default is not cured on or before the date specified in the notice, Lender at its option may require "
    "immediate payment in full of all sums secured by this Security Instrument without further demand.",
    "Trustee shall deliver to the purchaser a deed conveying the Property without any covenant or warranty, express "
    "or implied, and the recitals in the deed shall be prima facie evidence of the truth of the statements made "
    "therein.",
    "Upon payment of all sums secured by this Security Instrument, Lender shall request Trustee to reconvey the "
    "Property and shall surrender this Security Instrument and all notes evidencing debt to Trustee.",
    "Lender, at its option, may from time to time appoint a successor trustee to any Trustee appointed hereunder by "
    "an instrument executed and acknowledged by Lender and recorded in the office of the recorder of the county.",
)


def covenant(rng: random.Random) -> tuple[str, list[str]]:
    """A heading and three to seven paragraphs of one to three sentences each."""
    heading = rng.choice(HEADINGS)
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(3, 7))]
    return heading, paragraphs
